// The objects a service host exports, and which declared method (or standard interface) a method call is
// for: unknown objects, interfaces and members, and arguments of the wrong signature, become the D-Bus
// errors a client expects before any handler runs.
import { compareStrings } from '../util/order.js';
import { type InterfaceDeclaration, STANDARD_INTERFACES } from './service-introspection.js';
import {
  DBUS_ERROR,
  PEER_INTERFACE,
  type ServiceInterface,
  type ServiceMethod,
  type ServiceObject,
  type ServiceProperty,
  type ServiceSignal,
} from './service-types.js';
import { ServiceDeclarationError, validateServiceObject } from './service-validation.js';

export interface MethodCall {
  path: string;
  /** Optional in a method call: without it the member is looked up in every interface of the object. */
  iface?: string | null;
  member: string;
  signature: string;
}

export interface RoutingError {
  kind: 'error';
  errorName: string;
  message: string;
}

export type Route =
  | { kind: 'handler'; iface: ServiceInterface; method: ServiceMethod }
  /** A method of a standard interface (Peer, Introspectable, Properties), answered by the host. */
  | { kind: 'standard'; iface: string; member: string }
  | RoutingError;

export function isRoutingError(value: unknown): value is RoutingError {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'error';
}

const routingError = (errorName: string, message: string): RoutingError => ({
  kind: 'error',
  errorName,
  message,
});

const signatureOf = (method: { inArgs: readonly { type: string }[] }): string =>
  method.inArgs.map((argument) => argument.type).join('');

const shownSignature = (signature: string): string =>
  signature === '' ? "'' (no arguments)" : `'${signature}'`;

export class ServiceObjectTree {
  private readonly objects = new Map<string, ServiceObject>();

  /** Adds an object after checking its declaration; throws a ServiceDeclarationError naming the problem. */
  add(object: ServiceObject): void {
    validateServiceObject(object);
    if (this.objects.has(object.path))
      throw new ServiceDeclarationError(object.path, 'it is already exported');
    this.objects.set(object.path, object);
  }

  /** An exported object, or a path above one (so `busctl tree` can walk down from `/`). */
  isKnownPath(path: string): boolean {
    if (this.objects.has(path)) return true;
    const prefix = path === '/' ? '/' : `${path}/`;
    for (const exported of this.objects.keys()) if (exported.startsWith(prefix)) return true;
    return false;
  }

  /** Names of the nodes directly below `path`, sorted. */
  children(path: string): string[] {
    const prefix = path === '/' ? '/' : `${path}/`;
    const names = new Set<string>();
    for (const exported of this.objects.keys()) {
      if (exported !== path && exported.startsWith(prefix))
        names.add(exported.slice(prefix.length).split('/')[0] as string);
    }
    return [...names].sort(compareStrings);
  }

  /** What Introspect shows at `path`: the standard interfaces, then the object's own. */
  interfacesAt(path: string): InterfaceDeclaration[] {
    return [...STANDARD_INTERFACES, ...(this.objects.get(path)?.interfaces ?? [])];
  }

  route(call: MethodCall): Route {
    // Peer is answered on every path, whether or not an object lives there (as the specification asks).
    if (call.iface === PEER_INTERFACE) return this.standardRoute(call, PEER_INTERFACE);
    if (!this.isKnownPath(call.path))
      return routingError(DBUS_ERROR.unknownObject, `no object at ${call.path}`);
    const object = this.objects.get(call.path);
    if (!call.iface) return this.routeByMember(call, object);
    if (STANDARD_INTERFACES.some((declaration) => declaration.name === call.iface))
      return this.standardRoute(call, call.iface);
    const iface = object?.interfaces.find((candidate) => candidate.name === call.iface);
    if (!iface)
      return routingError(DBUS_ERROR.unknownInterface, `object ${call.path} has no interface ${call.iface}`);
    const method = iface.methods.find((candidate) => candidate.name === call.member);
    if (!method) return routingError(DBUS_ERROR.unknownMethod, `${iface.name} has no method ${call.member}`);
    return this.checkedHandlerRoute(call, iface, method);
  }

  /** The interface whose properties Get/GetAll/Set address; standard interfaces have none. */
  propertyInterface(
    path: string,
    ifaceName: string,
  ): { properties: readonly ServiceProperty[] } | RoutingError {
    const own = this.objects.get(path)?.interfaces.find((candidate) => candidate.name === ifaceName);
    if (own) return own;
    if (STANDARD_INTERFACES.some((declaration) => declaration.name === ifaceName)) return { properties: [] };
    return routingError(
      DBUS_ERROR.invalidArgs,
      `object ${path} has no interface ${JSON.stringify(ifaceName)}`,
    );
  }

  /**
   * The property `name` of `ifaceName` at `path`. An empty interface name means "any interface", as the
   * specification allows for Get.
   */
  property(path: string, ifaceName: string, name: string): ServiceProperty | RoutingError {
    const candidates =
      ifaceName === ''
        ? (this.objects.get(path)?.interfaces ?? [])
        : [this.propertyInterface(path, ifaceName)];
    for (const candidate of candidates) {
      if (isRoutingError(candidate)) return candidate;
      const property = candidate.properties.find((entry) => entry.name === name);
      if (property) return property;
    }
    const owner = ifaceName === '' ? `object ${path}` : ifaceName;
    return routingError(DBUS_ERROR.unknownProperty, `${owner} has no property ${JSON.stringify(name)}`);
  }

  /** The declared signal; throws when the object does not declare it (a bug in the service, not bad input). */
  signal(path: string, ifaceName: string, member: string): ServiceSignal {
    const iface = this.objects.get(path)?.interfaces.find((candidate) => candidate.name === ifaceName);
    const signal = iface?.signals.find((candidate) => candidate.name === member);
    if (!signal)
      throw new Error(`cannot emit ${ifaceName}.${member} at ${path}: no such signal is exported there`);
    return signal;
  }

  private routeByMember(call: MethodCall, object: ServiceObject | undefined): Route {
    for (const declaration of STANDARD_INTERFACES) {
      if (declaration.methods.some((method) => method.name === call.member))
        return this.standardRoute(call, declaration.name);
    }
    for (const iface of object?.interfaces ?? []) {
      const method = iface.methods.find((candidate) => candidate.name === call.member);
      if (method) return this.checkedHandlerRoute(call, iface, method);
    }
    return routingError(DBUS_ERROR.unknownMethod, `object ${call.path} has no method ${call.member}`);
  }

  private standardRoute(call: MethodCall, ifaceName: string): Route {
    const declaration = STANDARD_INTERFACES.find(
      (candidate) => candidate.name === ifaceName,
    ) as InterfaceDeclaration;
    const method = declaration.methods.find((candidate) => candidate.name === call.member);
    if (!method) return routingError(DBUS_ERROR.unknownMethod, `${ifaceName} has no method ${call.member}`);
    const problem = signatureProblem(call, ifaceName, method);
    return problem ?? { kind: 'standard', iface: ifaceName, member: method.name };
  }

  private checkedHandlerRoute(call: MethodCall, iface: ServiceInterface, method: ServiceMethod): Route {
    return signatureProblem(call, iface.name, method) ?? { kind: 'handler', iface, method };
  }
}

function signatureProblem(
  call: MethodCall,
  ifaceName: string,
  method: { name: string; inArgs: readonly { type: string }[] },
): RoutingError | undefined {
  const expected = signatureOf(method);
  if (call.signature === expected) return undefined;
  return routingError(
    DBUS_ERROR.invalidArgs,
    `${ifaceName}.${method.name} expects arguments of signature ${shownSignature(expected)}, got ${shownSignature(call.signature)}`,
  );
}
