// Introspection XML for the objects op-dbus exports, in the format of the D-Bus specification (what
// `busctl introspect`, `busctl tree` and d-feet read), and the declarations of the standard interfaces.
import {
  INTROSPECTABLE_INTERFACE,
  PEER_INTERFACE,
  PROPERTIES_INTERFACE,
  type ServiceArg,
} from './service-types.js';

/** What introspection shows of an interface: its declarations without the handlers behind them. */
export interface InterfaceDeclaration {
  name: string;
  methods: readonly { name: string; inArgs: readonly ServiceArg[]; outArgs: readonly ServiceArg[] }[];
  properties: readonly { name: string; type: string; constant?: boolean }[];
  signals: readonly { name: string; args: readonly ServiceArg[] }[];
}

const arg = (name: string, type: string): ServiceArg => ({ name, type });

/** Answered by the host itself on every object, as sd-bus and GDBus do. */
export const STANDARD_INTERFACES: readonly InterfaceDeclaration[] = [
  {
    name: PEER_INTERFACE,
    methods: [
      { name: 'Ping', inArgs: [], outArgs: [] },
      { name: 'GetMachineId', inArgs: [], outArgs: [arg('machine_uuid', 's')] },
    ],
    properties: [],
    signals: [],
  },
  {
    name: INTROSPECTABLE_INTERFACE,
    methods: [{ name: 'Introspect', inArgs: [], outArgs: [arg('xml_data', 's')] }],
    properties: [],
    signals: [],
  },
  {
    name: PROPERTIES_INTERFACE,
    methods: [
      {
        name: 'Get',
        inArgs: [arg('interface_name', 's'), arg('property_name', 's')],
        outArgs: [arg('value', 'v')],
      },
      { name: 'GetAll', inArgs: [arg('interface_name', 's')], outArgs: [arg('props', 'a{sv}')] },
      {
        name: 'Set',
        inArgs: [arg('interface_name', 's'), arg('property_name', 's'), arg('value', 'v')],
        outArgs: [],
      },
    ],
    properties: [],
    signals: [
      {
        name: 'PropertiesChanged',
        args: [
          arg('interface_name', 's'),
          arg('changed_properties', 'a{sv}'),
          arg('invalidated_properties', 'as'),
        ],
      },
    ],
  },
];

const DOCTYPE =
  '<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"\n "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">';

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

export function escapeXmlAttribute(value: string): string {
  return value.replace(/[&<>"']/g, (character) => XML_ESCAPES[character] as string);
}

function argElement(argument: ServiceArg, direction?: 'in' | 'out'): string {
  const directionAttribute = direction ? ` direction="${direction}"` : '';
  return `   <arg name="${escapeXmlAttribute(argument.name)}" type="${escapeXmlAttribute(argument.type)}"${directionAttribute}/>`;
}

function memberElement(kind: 'method' | 'signal', name: string, args: string[]): string[] {
  const open = `  <${kind} name="${escapeXmlAttribute(name)}"`;
  return args.length === 0 ? [`${open}/>`] : [`${open}>`, ...args, `  </${kind}>`];
}

function interfaceElement(declaration: InterfaceDeclaration): string[] {
  const lines = [` <interface name="${escapeXmlAttribute(declaration.name)}">`];
  for (const method of declaration.methods) {
    const args = [
      ...method.inArgs.map((argument) => argElement(argument, 'in')),
      ...method.outArgs.map((argument) => argElement(argument, 'out')),
    ];
    lines.push(...memberElement('method', method.name, args));
  }
  for (const signal of declaration.signals)
    lines.push(
      ...memberElement(
        'signal',
        signal.name,
        signal.args.map((argument) => argElement(argument)),
      ),
    );
  for (const property of declaration.properties) {
    const element = `  <property name="${escapeXmlAttribute(property.name)}" type="${escapeXmlAttribute(property.type)}" access="read"`;
    if (!property.constant) lines.push(`${element}/>`);
    else
      lines.push(
        `${element}>`,
        '   <annotation name="org.freedesktop.DBus.Property.EmitsChangedSignal" value="const"/>',
        '  </property>',
      );
  }
  lines.push(' </interface>');
  return lines;
}

/** The XML an object answers to Introspect: its interfaces, then one empty <node> per direct child. */
export function introspectionXml(
  interfaces: readonly InterfaceDeclaration[],
  children: readonly string[],
): string {
  const lines = [DOCTYPE, '<node>'];
  for (const declaration of interfaces) lines.push(...interfaceElement(declaration));
  for (const child of children) lines.push(` <node name="${escapeXmlAttribute(child)}"/>`);
  lines.push('</node>', '');
  return lines.join('\n');
}
