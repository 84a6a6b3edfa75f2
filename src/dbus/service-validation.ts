// Checks a service declaration against the D-Bus naming and type grammars before it is exported, so a
// mistake fails at start-up with its name and place instead of as a garbled reply later.
import { isInterfaceName, isMemberName, isObjectPath } from './service-names.js';
import { parseSingleType, unsupportedTypeReason } from './service-signature.js';
import {
  INTROSPECTABLE_INTERFACE,
  PEER_INTERFACE,
  PROPERTIES_INTERFACE,
  type ServiceArg,
  type ServiceObject,
} from './service-types.js';

const STANDARD_INTERFACE_NAMES = new Set([INTROSPECTABLE_INTERFACE, PROPERTIES_INTERFACE, PEER_INTERFACE]);

export class ServiceDeclarationError extends Error {
  constructor(path: string, problem: string) {
    super(`cannot export ${path}: ${problem}`);
    this.name = 'ServiceDeclarationError';
  }
}

function typeProblem(type: string): string | undefined {
  try {
    return unsupportedTypeReason(parseSingleType(type));
  } catch (error) {
    return (error as Error).message;
  }
}

function argsProblem(args: readonly ServiceArg[], owner: string): string | undefined {
  for (const [index, argument] of args.entries()) {
    if (typeof argument.name !== 'string' || argument.name === '')
      return `${owner}: argument ${index + 1} has no name`;
    const problem = typeProblem(argument.type);
    if (problem) return `${owner}: argument '${argument.name}': ${problem}`;
  }
  return undefined;
}

function duplicateOf(names: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}

function objectProblem(object: ServiceObject): string | undefined {
  if (object.interfaces.length === 0) return 'it declares no interface';
  const duplicateInterface = duplicateOf(object.interfaces.map((iface) => iface.name));
  if (duplicateInterface) return `interface ${duplicateInterface} is declared twice`;
  for (const iface of object.interfaces) {
    if (!isInterfaceName(iface.name)) return `'${iface.name}' is not a valid D-Bus interface name`;
    if (STANDARD_INTERFACE_NAMES.has(iface.name)) return `${iface.name} is answered by the host itself`;
    const members = [
      ...iface.methods.map((method) => method.name),
      ...iface.properties.map((property) => property.name),
      ...iface.signals.map((signal) => signal.name),
    ];
    const invalid = members.find((name) => !isMemberName(name));
    if (invalid !== undefined) return `${iface.name}: '${invalid}' is not a valid D-Bus member name`;
    const duplicate = duplicateOf(members);
    if (duplicate) return `${iface.name}: member ${duplicate} is declared twice`;
    for (const method of iface.methods) {
      const where = `${iface.name}.${method.name}`;
      const problem = argsProblem(method.inArgs, where) ?? argsProblem(method.outArgs, where);
      if (problem) return problem;
    }
    for (const signal of iface.signals) {
      const problem = argsProblem(signal.args, `${iface.name}.${signal.name}`);
      if (problem) return problem;
    }
    for (const property of iface.properties) {
      const problem = typeProblem(property.type);
      if (problem) return `${iface.name}.${property.name}: ${problem}`;
    }
  }
  return undefined;
}

/** Throws a ServiceDeclarationError naming the first problem of `object`. */
export function validateServiceObject(object: ServiceObject): void {
  if (!isObjectPath(object.path))
    throw new ServiceDeclarationError(JSON.stringify(object.path), 'it is not a valid D-Bus object path');
  const problem = objectProblem(object);
  if (problem) throw new ServiceDeclarationError(object.path, problem);
}
