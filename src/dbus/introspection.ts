// Parses D-Bus introspection XML (the format in the D-Bus specification) into a typed description.
import { XMLParser } from 'fast-xml-parser';

export interface DbusArg {
  name?: string;
  type: string;
  direction?: 'in' | 'out';
}

export interface DbusMethod {
  name: string;
  args: DbusArg[];
}

export interface DbusSignal {
  name: string;
  args: DbusArg[];
}

export interface DbusProperty {
  name: string;
  type: string;
  access: 'read' | 'write' | 'readwrite';
}

export interface DbusInterface {
  name: string;
  methods: DbusMethod[];
  signals: DbusSignal[];
  properties: DbusProperty[];
}

export interface IntrospectedNode {
  interfaces: DbusInterface[];
  /** Child node names relative to the introspected path. */
  children: string[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (name) => ['interface', 'method', 'signal', 'property', 'arg', 'node', 'annotation'].includes(name),
  processEntities: true,
});

type XmlElement = Record<string, unknown>;

function elements(parent: XmlElement | undefined, name: string): XmlElement[] {
  const value = parent?.[name];
  return Array.isArray(value) ? (value as XmlElement[]) : [];
}

function text(element: XmlElement, name: string): string | undefined {
  const value = element[name];
  return typeof value === 'string' ? value : undefined;
}

function parseArgs(element: XmlElement, defaultDirection?: 'in' | 'out'): DbusArg[] {
  return elements(element, 'arg').map((arg) => {
    const direction = (text(arg, 'direction') ?? defaultDirection) as DbusArg['direction'];
    const name = text(arg, 'name');
    return { type: text(arg, 'type') ?? '', ...(name ? { name } : {}), ...(direction ? { direction } : {}) };
  });
}

export function parseIntrospectionXml(xml: string): IntrospectedNode {
  if (xml.trim() === '') return { interfaces: [], children: [] };
  const document = parser.parse(xml) as XmlElement;
  const root = elements(document, 'node')[0];
  if (!root) throw new Error('introspection XML has no <node> root element');
  const interfaces = elements(root, 'interface').map((iface) => ({
    name: text(iface, 'name') ?? '',
    methods: elements(iface, 'method').map((m) => ({ name: text(m, 'name') ?? '', args: parseArgs(m, 'in') })),
    signals: elements(iface, 'signal').map((s) => ({ name: text(s, 'name') ?? '', args: parseArgs(s) })),
    properties: elements(iface, 'property').map((p) => ({
      name: text(p, 'name') ?? '',
      type: text(p, 'type') ?? '',
      access: (text(p, 'access') ?? 'read') as DbusProperty['access'],
    })),
  }));
  const children = elements(root, 'node')
    .map((child) => text(child, 'name'))
    .filter((name): name is string => typeof name === 'string' && name.length > 0);
  return { interfaces, children };
}

/** Joins a parent object path with a child node name from introspection. */
export function childPath(parent: string, child: string): string {
  return parent === '/' ? `/${child}` : `${parent}/${child}`;
}
