// Exports D-Bus services from op-dbus: owns well-known names, answers method calls on declared objects
// (plus Introspectable, Properties and Peer on every one), and emits signals. Built on dbus-next's low-level
// message handling so every reply, error and signal is shaped here, never by the library's decorators.
import { readFile } from 'node:fs/promises';
import type { Message, MessageBus } from 'dbus-next';
import { connectMessageBus, DbusConnection, type DbusModule } from './connection.js';
import { DbusCallError } from './errors.js';
import { CallerLookup } from './service-caller.js';
import { isRoutingError, type RoutingError, ServiceObjectTree } from './service-dispatch.js';
import { introspectionXml } from './service-introspection.js';
import { isInterfaceName, isWellKnownBusName } from './service-names.js';
import { parseSingleType } from './service-signature.js';
import {
  type CallerInfo,
  DBUS_ERROR,
  INTROSPECTABLE_INTERFACE,
  PEER_INTERFACE,
  PROPERTIES_INTERFACE,
  type ServiceArg,
  ServiceMethodError,
  type ServiceObject,
  type ServiceProperty,
} from './service-types.js';
import { toWireValue, type VariantFactory } from './service-values.js';
import { plainValue } from './values.js';
import { BUS_PATH, BUS_SERVICE } from './well-known.js';

/** RequestName flag: fail at once instead of waiting in the queue behind the current owner. */
const NAME_FLAG_DO_NOT_QUEUE = 4;
const NAME_REPLY_PRIMARY_OWNER = 1;
const NAME_REPLY_EXISTS = 3;
const NAME_REPLY_ALREADY_OWNER = 4;
const MESSAGE_FLAG_NO_REPLY_EXPECTED = 1;
const MACHINE_ID_FILES = ['/etc/machine-id', '/var/lib/dbus/machine-id'];

export type ServiceNameProblem = 'invalid' | 'owned' | 'denied';

export class ServiceNameError extends Error {
  constructor(
    readonly busName: string,
    readonly problem: ServiceNameProblem,
    message: string,
  ) {
    super(message);
    this.name = 'ServiceNameError';
  }
}

interface Reply {
  signature: string;
  body: unknown[];
}

export async function openServiceHost(address: string, timeoutMs: number): Promise<ServiceHost> {
  const { bus, dbus } = await connectMessageBus(address, timeoutMs);
  return new ServiceHost(bus, dbus, new DbusConnection(bus, dbus, address, timeoutMs));
}

export class ServiceHost {
  private readonly tree = new ServiceObjectTree();
  private readonly callers: CallerLookup;
  private readonly makeVariant: VariantFactory;
  private closing = false;
  /** Settles when the connection to the bus is gone without close() (the bus daemon stopped, the socket died). */
  readonly disconnected: Promise<Error>;

  constructor(
    private readonly bus: MessageBus,
    private readonly dbus: DbusModule,
    /** The same connection, for calls to the bus driver: time-boxed, failures naming the method. */
    private readonly driver: DbusConnection,
  ) {
    this.makeVariant = (signature, value) => new dbus.Variant(signature, value);
    this.callers = new CallerLookup((member, sender) => this.busDriver(member, 's', [sender]));
    // Every method call addressed to this connection is answered here, so the library never adds its own.
    bus.addMethodHandler((message: Message) => {
      void this.answer(message);
      return true;
    });
    this.disconnected = new Promise<Error>((resolve) => {
      const lost = (error?: unknown) => {
        if (!this.closing)
          resolve(error instanceof Error ? error : new Error('the bus closed the connection'));
      };
      bus.on('error', lost);
      // dbus-next 0.10 does not re-emit its stream's end; its connection (`_connection`) does.
      (bus as unknown as { _connection?: NodeJS.EventEmitter })._connection?.on('end', () => lost());
    });
  }

  /** This connection's unique name on the bus (`:1.42`). */
  get uniqueName(): string {
    return String((this.bus as unknown as { name: string | null }).name);
  }

  /** Owns `name`, failing at once when someone else owns it or the bus policy refuses it. */
  async requestName(name: string): Promise<void> {
    if (!isWellKnownBusName(name))
      throw new ServiceNameError(name, 'invalid', `'${name}' is not a valid well-known D-Bus name`);
    let reply: unknown;
    try {
      reply = await this.busDriver('RequestName', 'su', [name, NAME_FLAG_DO_NOT_QUEUE]);
    } catch (error) {
      if (error instanceof DbusCallError && error.dbusErrorName === DBUS_ERROR.accessDenied) {
        throw new ServiceNameError(
          name,
          'denied',
          `the bus policy does not allow this process (uid ${process.getuid?.()}) to own ${name}: a policy file in /etc/dbus-1/system.d must grant it (op-dbus dbus install-policy installs op-dbus's own, which grant it to root)`,
        );
      }
      throw error;
    }
    if (reply === NAME_REPLY_PRIMARY_OWNER || reply === NAME_REPLY_ALREADY_OWNER) return;
    if (reply === NAME_REPLY_EXISTS) {
      const owner = await this.driver.nameOwner(name).catch(() => undefined);
      throw new ServiceNameError(
        name,
        'owned',
        `${name} is already owned by another connection${owner ? ` (${owner})` : ''}: is another instance of the service running?`,
      );
    }
    throw new Error(`RequestName ${name}: unexpected reply ${String(reply)} from the bus`);
  }

  /** Makes `object` callable; throws a ServiceDeclarationError naming what is wrong with its declaration. */
  export(object: ServiceObject): void {
    this.tree.add(object);
  }

  /** Broadcasts a signal the object at `path` declares, its arguments marshalled by the declared types. */
  emitSignal(path: string, iface: string, member: string, args: unknown[]): void {
    const signal = this.tree.signal(path, iface, member);
    const { signature, body } = this.marshalled(signal.args, args, `signal ${iface}.${member}`);
    this.bus.send(this.dbus.Message.newSignal(path, iface, member, signature, body));
  }

  /** Broadcasts org.freedesktop.DBus.Properties.PropertiesChanged with the current values of `names`. */
  async emitPropertiesChanged(path: string, iface: string, names: readonly string[]): Promise<void> {
    const changed: Record<string, unknown> = {};
    for (const name of names)
      changed[name] = await this.propertyVariant(orThrow(this.tree.property(path, iface, name)));
    const body = [iface, changed, []];
    this.bus.send(
      this.dbus.Message.newSignal(path, PROPERTIES_INTERFACE, 'PropertiesChanged', 'sa{sv}as', body),
    );
  }

  /** Disconnects, which also gives up every name this host owns. */
  close(): void {
    this.closing = true;
    this.driver.close();
  }

  private busDriver(member: string, signature: string, args: unknown[]): Promise<unknown> {
    return this.driver.callOne(BUS_SERVICE, BUS_PATH, BUS_SERVICE, member, { signature, args });
  }

  /** Answers one method call; never throws, whatever the handler does. */
  private async answer(call: Message): Promise<void> {
    let reply: Message;
    try {
      const { signature, body } = await this.replyTo(call);
      reply = this.dbus.Message.newMethodReturn(call, signature, body);
    } catch (error) {
      reply = this.errorReply(call, error);
    }
    if ((call.flags & MESSAGE_FLAG_NO_REPLY_EXPECTED) !== 0) return;
    try {
      this.bus.send(reply);
    } catch (error) {
      // The library marshals while sending: a reply it cannot encode still gets an answer. A closed
      // connection fails this one too, and then there is nobody to answer.
      try {
        this.bus.send(this.errorReply(call, error));
      } catch {}
    }
  }

  private errorReply(call: Message, error: unknown): Message {
    const named = error instanceof ServiceMethodError && isInterfaceName(error.errorName);
    const errorName = named ? error.errorName : DBUS_ERROR.failed;
    const text = error instanceof Error ? error.message : String(error);
    // The library's typings declare the first parameter as a string; it takes the call being answered.
    return this.dbus.Message.newError(call as unknown as string, errorName, text);
  }

  private async replyTo(call: Message): Promise<Reply> {
    const route = this.tree.route({
      path: call.path,
      iface: call.interface,
      member: call.member,
      signature: call.signature ?? '',
    });
    if (route.kind === 'error') throw new ServiceMethodError(route.errorName, route.message);
    if (route.kind === 'standard') return this.standardReply(route.iface, route.member, call);
    // A call whose sender cannot be named (gone already, or the bus not answering) is not run: every
    // change is recorded with the uid of the caller, as the bus vouches for it.
    let caller: CallerInfo;
    try {
      caller = await this.callers.lookup(call.sender);
    } catch (error) {
      throw new Error(`cannot identify the caller ${call.sender}: ${(error as Error).message}`);
    }
    const { iface, method } = route;
    const values = await method.handler((call.body ?? []).map(plainValue), caller);
    return this.marshalled(method.outArgs, values, `reply of ${iface.name}.${method.name}`);
  }

  private async standardReply(iface: string, member: string, call: Message): Promise<Reply> {
    const args = (call.body ?? []) as string[];
    if (iface === PEER_INTERFACE) {
      return member === 'Ping'
        ? { signature: '', body: [] }
        : { signature: 's', body: [await readMachineId()] };
    }
    if (iface === INTROSPECTABLE_INTERFACE) {
      const xml = introspectionXml(this.tree.interfacesAt(call.path), this.tree.children(call.path));
      return { signature: 's', body: [xml] };
    }
    const [ifaceName = '', propertyName = ''] = args;
    if (member === 'GetAll') {
      const all: Record<string, unknown> = {};
      for (const property of orThrow(this.tree.propertyInterface(call.path, ifaceName)).properties)
        all[property.name] = await this.propertyVariant(property);
      return { signature: 'a{sv}', body: [all] };
    }
    const property = orThrow(this.tree.property(call.path, ifaceName, propertyName));
    if (member === 'Set')
      throw new ServiceMethodError(DBUS_ERROR.propertyReadOnly, `property ${propertyName} is read-only`);
    return { signature: 'v', body: [await this.propertyVariant(property)] };
  }

  private async propertyVariant(property: ServiceProperty): Promise<unknown> {
    const value = await property.get();
    const where = `property ${property.name}`;
    return this.makeVariant(
      property.type,
      toWireValue(parseSingleType(property.type), value, where, this.makeVariant),
    );
  }

  private marshalled(declared: readonly ServiceArg[], values: unknown, where: string): Reply {
    if (!Array.isArray(values) || values.length !== declared.length) {
      const got = Array.isArray(values) ? `${values.length} values` : typeof values;
      throw new Error(`${where}: declared ${declared.length} values, the service gave ${got}`);
    }
    return {
      signature: declared.map((argument) => argument.type).join(''),
      body: declared.map((argument, index) =>
        toWireValue(
          parseSingleType(argument.type),
          values[index],
          `${where}, argument '${argument.name}'`,
          this.makeVariant,
        ),
      ),
    };
  }
}

/** The machine this process runs on, as D-Bus identifies machines. */
async function readMachineId(): Promise<string> {
  for (const file of MACHINE_ID_FILES) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text?.trim()) return text.trim();
  }
  throw new Error(`no machine id in ${MACHINE_ID_FILES.join(' or ')}`);
}

function orThrow<T>(result: T | RoutingError): T {
  if (isRoutingError(result)) throw new ServiceMethodError(result.errorName, result.message);
  return result;
}
