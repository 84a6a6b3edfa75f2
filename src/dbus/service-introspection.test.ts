import { describe, expect, it } from 'vitest';
import { parseIntrospectionXml } from './introspection.js';
import { escapeXmlAttribute, introspectionXml, STANDARD_INTERFACES } from './service-introspection.js';

const thing = {
  name: 'org.example.Thing',
  methods: [
    {
      name: 'Rename',
      inArgs: [{ name: 'old', type: 's' }],
      outArgs: [{ name: 'result', type: 'a{sv}' }],
    },
    { name: 'Reset', inArgs: [], outArgs: [] },
  ],
  properties: [{ name: 'Version', type: 's' }],
  signals: [{ name: 'Renamed', args: [{ name: 'new', type: 's' }] }],
};

describe('introspectionXml', () => {
  it('starts with the DOCTYPE the specification gives and ends with the children', () => {
    const xml = introspectionXml([thing], ['a', 'b']);
    expect(
      xml.startsWith('<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"'),
    ).toBe(true);
    expect(xml).toContain('<arg name="old" type="s" direction="in"/>');
    expect(xml).toContain('<arg name="result" type="a{sv}" direction="out"/>');
    expect(xml).toContain('<method name="Reset"/>');
    expect(xml).toContain('<property name="Version" type="s" access="read"/>');
    expect(xml.trimEnd().endsWith(' <node name="a"/>\n <node name="b"/>\n</node>')).toBe(true);
  });

  it('reads back as declared through the project parser', () => {
    const parsed = parseIntrospectionXml(introspectionXml([...STANDARD_INTERFACES, thing], ['child']));
    expect(parsed.children).toEqual(['child']);
    expect(parsed.interfaces.map((iface) => iface.name)).toEqual([
      'org.freedesktop.DBus.Peer',
      'org.freedesktop.DBus.Introspectable',
      'org.freedesktop.DBus.Properties',
      'org.example.Thing',
    ]);
    const parsedThing = parsed.interfaces[3];
    expect(parsedThing?.methods[0]).toEqual({
      name: 'Rename',
      args: [
        { name: 'old', type: 's', direction: 'in' },
        { name: 'result', type: 'a{sv}', direction: 'out' },
      ],
    });
    expect(parsedThing?.signals).toEqual([{ name: 'Renamed', args: [{ name: 'new', type: 's' }] }]);
    expect(parsedThing?.properties).toEqual([{ name: 'Version', type: 's', access: 'read' }]);
  });

  it('marks a property that never changes as const, so clients need not watch it', () => {
    const xml = introspectionXml(
      [
        {
          ...thing,
          properties: [
            { name: 'Version', type: 's', constant: true },
            { name: 'Last', type: 's' },
          ],
        },
      ],
      [],
    );
    expect(xml).toContain(
      '  <property name="Version" type="s" access="read">\n   <annotation name="org.freedesktop.DBus.Property.EmitsChangedSignal" value="const"/>\n  </property>',
    );
    expect(xml).toContain('<property name="Last" type="s" access="read"/>');
    const [parsed] = parseIntrospectionXml(xml).interfaces;
    expect(parsed?.properties.map((property) => property.name)).toEqual(['Version', 'Last']);
  });

  it('escapes what would break the XML', () => {
    expect(escapeXmlAttribute(`a&b<c>"d'`)).toBe('a&amp;b&lt;c&gt;&quot;d&apos;');
    const xml = introspectionXml(
      [{ ...thing, methods: [{ name: 'M', inArgs: [{ name: '"><evil/>', type: 's' }], outArgs: [] }] }],
      [],
    );
    expect(xml).not.toContain('<evil/>');
    expect(parseIntrospectionXml(xml).interfaces[0]?.methods[0]?.args[0]?.name).toBe('"><evil/>');
  });
});
