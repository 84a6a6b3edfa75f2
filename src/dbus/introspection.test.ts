import { describe, expect, it } from 'vitest';
import { childPath, parseIntrospectionXml } from './introspection.js';

const HOSTNAME1_XML = `<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"
"http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">
<node>
 <interface name="org.freedesktop.DBus.Peer">
  <method name="Ping"/>
  <method name="GetMachineId">
   <arg type="s" name="machine_uuid" direction="out"/>
  </method>
 </interface>
 <!-- a comment between interfaces -->
 <interface name="org.freedesktop.hostname1">
  <property name="Hostname" type="s" access="read">
   <annotation name="org.freedesktop.DBus.Property.EmitsChangedSignal" value="false"/>
  </property>
  <property name="PrettyHostname" type="s" access="readwrite"/>
  <method name="SetHostname">
   <arg type="s" name="hostname" direction="in"/>
   <arg type="b" name="interactive" direction="in"/>
  </method>
  <signal name="Changed">
   <arg type="a{sv}" name="props"/>
  </signal>
 </interface>
 <node name="unit"/>
 <node name="job"/>
</node>`;

describe('parseIntrospectionXml', () => {
  it('parses interfaces, methods with arg directions, properties with access, signals and child nodes', () => {
    const node = parseIntrospectionXml(HOSTNAME1_XML);
    expect(node.children).toEqual(['unit', 'job']);
    expect(node.interfaces.map((i) => i.name)).toEqual([
      'org.freedesktop.DBus.Peer',
      'org.freedesktop.hostname1',
    ]);
    const hostname1 = node.interfaces[1];
    expect(hostname1?.properties).toEqual([
      { name: 'Hostname', type: 's', access: 'read' },
      { name: 'PrettyHostname', type: 's', access: 'readwrite' },
    ]);
    expect(hostname1?.methods).toEqual([
      {
        name: 'SetHostname',
        args: [
          { name: 'hostname', type: 's', direction: 'in' },
          { name: 'interactive', type: 'b', direction: 'in' },
        ],
      },
    ]);
    expect(hostname1?.signals).toEqual([{ name: 'Changed', args: [{ name: 'props', type: 'a{sv}' }] }]);
    expect(node.interfaces[0]?.methods[0]).toEqual({ name: 'Ping', args: [] });
  });

  it('defaults method args to "in" and leaves signal args without a direction', () => {
    const node = parseIntrospectionXml(
      '<node><interface name="a.B"><method name="M"><arg type="s"/></method></interface></node>',
    );
    expect(node.interfaces[0]?.methods[0]?.args).toEqual([{ type: 's', direction: 'in' }]);
  });

  it('treats an empty reply as an object with nothing on it', () => {
    expect(parseIntrospectionXml('  ')).toEqual({ interfaces: [], children: [] });
  });

  it('decodes XML entities in names and rejects documents without a node root', () => {
    const node = parseIntrospectionXml(
      '<node><interface name="a.B"><property name="P" type="a{s&amp;v}" access="read"/></interface></node>',
    );
    expect(node.interfaces[0]?.properties[0]?.type).toBe('a{s&v}');
    expect(() => parseIntrospectionXml('<html/>')).toThrow(/no <node> root/);
  });
});

describe('childPath', () => {
  it('joins object paths without doubling the root slash', () => {
    expect(childPath('/', 'org')).toBe('/org');
    expect(childPath('/org/freedesktop', 'systemd1')).toBe('/org/freedesktop/systemd1');
  });
});
