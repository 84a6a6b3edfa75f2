// org.opdbus at /org/opdbus: op-dbus itself over D-Bus — query the machine, plan and verify a desired state,
// and apply one through the engine (checkpoint, journal, rollback, ledger entry naming the calling uid).

import { parseStateDocument } from '../cli/load-document.js';
import { planJson } from '../cli/render-plan.js';
import { selectPlugins } from '../cli/select-plugins.js';
import { ServiceMethodError, type ServiceObject } from '../dbus/service-types.js';
import { type ApplyOutcome, applyDesiredState } from '../engine/apply.js';
import { discoverMachine } from '../engine/discover.js';
import { driftOf, hasDrift, planAgainstMachine } from '../engine/verify.js';
import type { Machine } from '../machine/machine.js';
import { plugins } from '../plugins/registry.js';
import type { MachineState } from '../state/schema.js';
import { OP_DBUS_VERSION } from '../version.js';
import { serviceObjectFor } from './policy/contract-object.js';
import { OPDBUS_SERVICE } from './policy/contracts.js';
import { callerActor, type ServiceEvents } from './service-context.js';

export const OPDBUS_ERROR = {
  invalidDocument: 'org.opdbus.Error.InvalidDocument',
  invalidArgument: 'org.opdbus.Error.InvalidArgument',
  applyFailed: 'org.opdbus.Error.ApplyFailed',
  busy: 'org.opdbus.Error.Busy',
} as const;

export interface OpdbusServiceOptions {
  /** A fresh Machine for one call (closed by the service when the call is done). */
  openMachine(): Machine;
  events: ServiceEvents;
}

interface LastApply {
  time: string;
  uid: number;
  status: ApplyOutcome['status'];
  changes: number;
  stateAfter?: string;
  reason?: string;
}

function parseDocument(text: string): MachineState {
  try {
    return parseStateDocument(text, 'the document');
  } catch (error) {
    throw new ServiceMethodError(OPDBUS_ERROR.invalidDocument, (error as Error).message);
  }
}

function pluginsNamed(list: string) {
  try {
    return selectPlugins(list.split(',').filter(Boolean));
  } catch (error) {
    throw new ServiceMethodError(OPDBUS_ERROR.invalidArgument, (error as Error).message);
  }
}

/** Only one apply runs at a time in this service; another process is kept out by the engine's lock. */
function applyFailure(error: unknown): ServiceMethodError {
  const message = (error as Error).message;
  return new ServiceMethodError(
    /another op-dbus .* is changing this machine/.test(message)
      ? OPDBUS_ERROR.busy
      : OPDBUS_ERROR.applyFailed,
    message,
  );
}

export function opdbusServiceObject(options: OpdbusServiceOptions): ServiceObject {
  let lastApply: LastApply | undefined;
  const withMachine = async <T>(work: (machine: Machine) => Promise<T>): Promise<T> => {
    const machine = options.openMachine();
    try {
      return await work(machine);
    } finally {
      await machine.close();
    }
  };

  return serviceObjectFor(OPDBUS_SERVICE, {
    methods: {
      async Query([list]) {
        const selected = pluginsNamed(String(list));
        const { state } = await withMachine((machine) =>
          discoverMachine(machine, { plugins: selected, registry: plugins }),
        );
        return [JSON.stringify(state)];
      },
      async Plan([text]) {
        const desired = parseDocument(String(text));
        const { plan } = await withMachine((machine) =>
          planAgainstMachine(machine, desired, { plugins, registry: plugins, prune: false }),
        );
        return [JSON.stringify(planJson(plan))];
      },
      async ApplyState([text], caller) {
        const desired = parseDocument(String(text));
        const outcome = await withMachine((machine) =>
          applyDesiredState(machine, desired, {
            registry: plugins,
            plugins,
            prune: false,
            dryRun: false,
            actor: callerActor(caller),
          }),
        ).catch((error: unknown) => {
          throw applyFailure(error);
        });
        lastApply = {
          time: new Date().toISOString(),
          uid: caller.uid,
          status: outcome.status,
          changes: outcome.plan.changes.length,
          ...(outcome.status === 'applied' ? { stateAfter: outcome.stateAfter } : {}),
          ...('reason' in outcome ? { reason: outcome.reason } : {}),
        };
        options.events.emitSignal(OPDBUS_SERVICE.objectPath, OPDBUS_SERVICE.interfaceName, 'StateApplied', [
          JSON.stringify(lastApply),
        ]);
        await options.events.emitPropertiesChanged(OPDBUS_SERVICE.objectPath, OPDBUS_SERVICE.interfaceName, [
          'LastApply',
        ]);
        const { plan, ...rest } = outcome;
        return [JSON.stringify({ ...rest, plan: planJson(plan) })];
      },
      async Verify([text]) {
        const desired = parseDocument(String(text));
        const report = await withMachine(async (machine) => {
          const { plan, current } = await planAgainstMachine(machine, desired, {
            plugins,
            registry: plugins,
            prune: false,
          });
          return driftOf(plan, current, plugins);
        });
        const json = JSON.stringify({ hasDrift: hasDrift(report), ...report });
        if (hasDrift(report))
          options.events.emitSignal(
            OPDBUS_SERVICE.objectPath,
            OPDBUS_SERVICE.interfaceName,
            'DriftDetected',
            [json],
          );
        return [json];
      },
    },
    properties: {
      Version: () => OP_DBUS_VERSION,
      // Empty until this service has applied something; a JSON object afterwards.
      LastApply: () => (lastApply ? JSON.stringify(lastApply) : ''),
    },
  });
}
