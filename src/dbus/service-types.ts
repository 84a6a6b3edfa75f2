// How a D-Bus service op-dbus exports is declared: plain data (interfaces, arguments, properties, signals)
// plus the handlers behind the methods, independent of the D-Bus library that carries the messages.

export interface ServiceArg {
  name: string;
  /** One complete D-Bus type (`s`, `as`, `a{sv}` …). */
  type: string;
}

/** Who called, as the bus driver vouches for it (not as the message claims). */
export interface CallerInfo {
  /** The caller's unique connection name (`:1.42`). */
  sender: string;
  uid: number;
  /** Absent when the bus cannot tell (a caller on another machine, or gone already). */
  pid?: number;
}

export interface ServiceMethod {
  name: string;
  inArgs: ServiceArg[];
  outArgs: ServiceArg[];
  /**
   * Receives the arguments as plain values (64-bit integers as numbers when exact, variants unwrapped) and
   * returns the reply's values in `outArgs` order. Throw a ServiceMethodError for a named D-Bus error.
   */
  handler(args: unknown[], caller: CallerInfo): Promise<unknown[]>;
}

export interface ServiceProperty {
  name: string;
  type: string;
  /** Read-only: the current value (or a promise of it), marshalled as `type`. */
  get(): unknown;
  /** Never changes while the service runs (introspected as EmitsChangedSignal "const"). */
  constant?: boolean;
}

export interface ServiceSignal {
  name: string;
  args: ServiceArg[];
}

export interface ServiceInterface {
  name: string;
  methods: ServiceMethod[];
  properties: ServiceProperty[];
  signals: ServiceSignal[];
}

export interface ServiceObject {
  path: string;
  interfaces: ServiceInterface[];
}

/** Thrown by a handler to answer with a D-Bus error of this name instead of org.freedesktop.DBus.Error.Failed. */
export class ServiceMethodError extends Error {
  constructor(
    readonly errorName: string,
    message: string,
  ) {
    super(message);
    this.name = 'ServiceMethodError';
  }
}

export const DBUS_ERROR = {
  failed: 'org.freedesktop.DBus.Error.Failed',
  invalidArgs: 'org.freedesktop.DBus.Error.InvalidArgs',
  unknownMethod: 'org.freedesktop.DBus.Error.UnknownMethod',
  unknownInterface: 'org.freedesktop.DBus.Error.UnknownInterface',
  unknownObject: 'org.freedesktop.DBus.Error.UnknownObject',
  unknownProperty: 'org.freedesktop.DBus.Error.UnknownProperty',
  propertyReadOnly: 'org.freedesktop.DBus.Error.PropertyReadOnly',
  accessDenied: 'org.freedesktop.DBus.Error.AccessDenied',
} as const;

export const INTROSPECTABLE_INTERFACE = 'org.freedesktop.DBus.Introspectable';
export const PROPERTIES_INTERFACE = 'org.freedesktop.DBus.Properties';
export const PEER_INTERFACE = 'org.freedesktop.DBus.Peer';
