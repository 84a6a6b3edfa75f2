import { describe, expect, it } from 'vitest';
import { parseIntrospectionXml } from '../../dbus/introspection.js';
import { addIntrospectedObject, emptyObjectTree, sampleChildPaths, sortObjectTree } from './object-tree.js';

// Shaped like sd-bus's reply for /org/freedesktop/login1 (trimmed): DOCTYPE, standard interfaces,
// annotations, a comment, and child nodes.
const LOGIN1_XML = `<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"
"http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">
<node>
 <interface name="org.freedesktop.DBus.Peer">
  <method name="Ping"/>
  <method name="GetMachineId">
   <arg type="s" name="machine_uuid" direction="out"/>
  </method>
 </interface>
 <interface name="org.freedesktop.DBus.Introspectable">
  <method name="Introspect">
   <arg name="xml_data" type="s" direction="out"/>
  </method>
 </interface>
 <interface name="org.freedesktop.DBus.Properties">
  <method name="Get"><arg name="interface_name" direction="in" type="s"/><arg name="value" direction="out" type="v"/></method>
 </interface>
 <!-- the manager -->
 <interface name="org.freedesktop.login1.Manager">
  <property name="IdleHint" type="b" access="read">
   <annotation name="org.freedesktop.DBus.Property.EmitsChangedSignal" value="false"/>
  </property>
  <property name="KillUserProcesses" type="b" access="readwrite"/>
  <method name="GetSession">
   <arg type="s" name="session_id" direction="in"/>
   <arg type="o" name="object_path" direction="out"/>
  </method>
  <method name="ListSessions">
   <arg type="a(susso)" name="sessions" direction="out"/>
  </method>
  <signal name="SessionNew">
   <arg type="s" name="session_id"/>
   <arg type="o" name="object_path"/>
  </signal>
 </interface>
 <node name="seat"/>
 <node name="session"/>
 <node name="user"/>
</node>`;

const SESSION_XML = `<node>
 <interface name="org.freedesktop.login1.Session">
  <property name="Id" type="s" access="read"/>
  <method name="Terminate"/>
 </interface>
 <interface name="org.freedesktop.DBus.Peer"><method name="Ping"/></interface>
</node>`;

describe('addIntrospectedObject', () => {
  it('records non-standard interfaces once and returns child paths', () => {
    const tree = emptyObjectTree();
    const children = addIntrospectedObject(
      tree,
      '/org/freedesktop/login1',
      parseIntrospectionXml(LOGIN1_XML),
    );
    expect(children).toEqual([
      '/org/freedesktop/login1/seat',
      '/org/freedesktop/login1/session',
      '/org/freedesktop/login1/user',
    ]);
    expect(tree.objects).toEqual({ '/org/freedesktop/login1': ['org.freedesktop.login1.Manager'] });
    expect(Object.keys(tree.interfaces)).toEqual(['org.freedesktop.login1.Manager']);
    expect(tree.interfaces['org.freedesktop.login1.Manager']).toEqual({
      methods: [
        {
          name: 'GetSession',
          args: [
            { name: 'session_id', type: 's', direction: 'in' },
            { name: 'object_path', type: 'o', direction: 'out' },
          ],
        },
        { name: 'ListSessions', args: [{ name: 'sessions', type: 'a(susso)', direction: 'out' }] },
      ],
      signals: [
        {
          name: 'SessionNew',
          args: [
            { name: 'session_id', type: 's' },
            { name: 'object_path', type: 'o' },
          ],
        },
      ],
      properties: [
        { name: 'IdleHint', type: 'b', access: 'read' },
        { name: 'KillUserProcesses', type: 'b', access: 'readwrite' },
      ],
    });
  });

  it('defines an interface shared by many objects only once', () => {
    const tree = emptyObjectTree();
    addIntrospectedObject(tree, '/org/freedesktop/login1/session/_32', parseIntrospectionXml(SESSION_XML));
    addIntrospectedObject(tree, '/org/freedesktop/login1/session/_31', parseIntrospectionXml(SESSION_XML));
    expect(Object.keys(tree.interfaces)).toEqual(['org.freedesktop.login1.Session']);
    expect(Object.keys(tree.objects)).toHaveLength(2);
  });

  it('leaves out intermediate nodes without interfaces but follows their children', () => {
    const tree = emptyObjectTree();
    const children = addIntrospectedObject(
      tree,
      '/',
      parseIntrospectionXml('<node><node name="org"/></node>'),
    );
    expect(children).toEqual(['/org']);
    expect(tree.objects).toEqual({});
  });

  it('skips malformed interface names and child names that are not path elements', () => {
    const xml = `<node>
      <interface name="not-an.interface"><method name="X"/></interface>
      <interface name="org.example.Good1"/>
      <node name="ok_1"/><node name="bad/child"/><node name="bad-child"/><node name="ok_1"/><node/>
    </node>`;
    const tree = emptyObjectTree();
    const children = addIntrospectedObject(tree, '/org/example', parseIntrospectionXml(xml));
    expect(children).toEqual(['/org/example/ok_1']);
    expect(tree.objects).toEqual({ '/org/example': ['org.example.Good1'] });
  });

  it('handles an empty reply (an object that vanished) as no interfaces and no children', () => {
    const tree = emptyObjectTree();
    expect(addIntrospectedObject(tree, '/gone', parseIntrospectionXml(''))).toEqual([]);
    expect(tree).toEqual(emptyObjectTree());
  });
});

describe('sortObjectTree', () => {
  it('orders objects and interfaces by name whatever order replies arrived in', () => {
    const tree = emptyObjectTree();
    addIntrospectedObject(
      tree,
      '/z',
      parseIntrospectionXml('<node><interface name="org.example.Z"/></node>'),
    );
    addIntrospectedObject(
      tree,
      '/a',
      parseIntrospectionXml(
        '<node><interface name="org.example.B"/><interface name="org.example.A"/></node>',
      ),
    );
    const sorted = sortObjectTree(tree);
    expect(Object.keys(sorted.objects)).toEqual(['/a', '/z']);
    expect(Object.keys(sorted.interfaces)).toEqual(['org.example.A', 'org.example.B', 'org.example.Z']);
    expect(sorted.objects['/a']).toEqual(['org.example.A', 'org.example.B']);
  });
});

describe('sampleChildPaths', () => {
  const unit = (label: string) => `/org/freedesktop/systemd1/unit/${label}`;

  it('keeps every child of a narrow node', () => {
    const paths = [unit('b_2eservice'), unit('a_2eservice')];
    expect(sampleChildPaths(paths, 5)).toEqual(paths);
  });

  it('takes every kind of child before a second of any kind', () => {
    const services = Array.from({ length: 20 }, (_, index) => unit(`daemon${index}_2eservice`));
    const others = [
      unit('_2d_2emount'),
      unit('dev_2dsda_2edevice'),
      unit('sockets_2etarget'),
      unit('dbus_2esocket'),
    ];
    const sample = sampleChildPaths([...services, ...others], 6);
    expect(sample).toHaveLength(6);
    for (const other of others) expect(sample).toContain(other);
    expect(sample.filter((path) => path.endsWith('_2eservice'))).toHaveLength(2);
  });

  it('is deterministic whatever order the children were listed in', () => {
    const paths = Array.from({ length: 40 }, (_, index) => `/org/example/session/_3${index}`);
    const shuffled = [...paths].reverse();
    expect(sampleChildPaths(shuffled, 8)).toEqual(sampleChildPaths(paths, 8));
    expect(sampleChildPaths(paths, 8)).toHaveLength(8);
  });
});
