// Pure planning for the ovs section: every difference between the switch and the desired state goes into ONE
// change, carried out as one OVSDB transaction, because the engine applies change by change and a switch
// half-reconfigured (a port deleted, its replacement not yet added) must never be left behind.
import { type Change, changeId, type PluginPlan, type Risk, type Unresolved } from '../../engine/change.js';
import { diffVswitch, type VswitchDifference } from '../../ovsdb/vswitch-diff.js';
import { normalizedVswitch, type VswitchBridge, type VswitchConfig } from '../../ovsdb/vswitch-model.js';
import { VSWITCH_DB } from '../../ovsdb/vswitch-read.js';
import { toDisplayPath } from '../../state/json-path.js';
import type { CurrentSection } from '../types.js';
import { describeDifference } from './describe.js';
import type { OvsConfig, OvsFacts } from './schema.js';
import { restoreWithheld } from './secrets.js';

export const PLUGIN = 'ovs';
export const OVSDB_TRANSACTION = 'ovsdb-transaction';

type Current = CurrentSection<OvsConfig, OvsFacts>;

/** Settings whose change cannot disturb traffic: labels for other software. */
const HARMLESS_SETTINGS = new Set(['externalIds']);

/** Interfaces a difference deletes or reconfigures, by name. */
function touchedInterfaces(difference: VswitchDifference, current: VswitchConfig): string[] {
  if (difference.action === 'create') return [];
  if (
    difference.action === 'update' &&
    difference.settings.every((change) => HARMLESS_SETTINGS.has(change.setting))
  )
    return [];
  const [bridgeName = '', portName, interfaceName] = difference.path;
  const bridge = current.bridges[bridgeName] as VswitchBridge;
  if (interfaceName !== undefined) return [interfaceName];
  const ports = portName === undefined ? Object.values(bridge.ports) : [bridge.ports[portName]];
  return ports.flatMap((port) => Object.keys(port?.interfaces ?? {}));
}

/**
 * A system device or internal port whose link is up may carry the host's uplink or address (OVSDB does not
 * say which addresses a device has): deleting or reconfiguring it may cut the connection in use.
 */
function riskOf(
  differences: readonly VswitchDifference[],
  current: Current,
): { risk: Risk; riskNote?: string } {
  const carrying = [
    ...new Set(differences.flatMap((difference) => touchedInterfaces(difference, current.config))),
  ]
    .map((name) => ({ name, facts: current.facts.interfaces[name] }))
    .filter(({ facts }) => facts?.linkState === 'up')
    .filter(({ name, facts }) => {
      const type =
        current.config.bridges[facts?.bridge ?? '']?.ports[facts?.port ?? '']?.interfaces[name]?.type;
      return type === '' || type === 'internal';
    });
  if (carrying.length > 0)
    return {
      risk: 'high',
      riskNote: `reconfigures or removes ${carrying.map(({ name }) => name).join(', ')}, whose link is up: a system device or internal port may carry the host's uplink or address, and the connection in use may drop`,
    };
  const deletes = differences.filter((difference) => difference.action === 'delete');
  if (deletes.length > 0)
    return {
      risk: 'medium',
      riskNote: `removes ${deletes.map((difference) => `${difference.kind} ${difference.path.join('/')}`).join(', ')}: traffic through it stops`,
    };
  return { risk: 'low' };
}

function withheldItems(missing: readonly (string | number)[][]): Unresolved[] {
  return missing.map((path) => ({
    plugin: PLUGIN,
    path: toDisplayPath(['sections', PLUGIN, 'config', ...path]),
    description: `the capture withheld this secret and the switch has no value here to keep: op-dbus cannot write it (set it with ovs-vsctl, then plan again)`,
    blocking: true,
  }));
}

export function planOvsChanges(current: Current, desired: OvsConfig): PluginPlan {
  // The current config is redacted like the desired one: a withheld value the switch also has compares equal.
  const { config: wanted, missing } = restoreWithheld(normalizedVswitch(desired), current.config);
  const differences = diffVswitch(current.config, wanted);
  if (differences.length === 0) return { changes: [], unresolved: withheldItems(missing) };
  const hadBridges = Object.keys(current.config.bridges).length > 0;
  const keepsBridges = Object.keys(wanted.bridges).length > 0;
  const change: Change = {
    id: changeId(PLUGIN, OVSDB_TRANSACTION, VSWITCH_DB),
    plugin: PLUGIN,
    kind: OVSDB_TRANSACTION,
    action: !hadBridges ? 'create' : !keepsBridges ? 'delete' : 'update',
    target: VSWITCH_DB,
    phase: 'settings',
    description: `one OVSDB transaction: ${differences.map(describeDifference).join('; ')}`,
    reason: `${differences.length} difference${differences.length === 1 ? '' : 's'} between the switch and the desired state`,
    ...riskOf(differences, current),
    before: current.config,
    after: wanted,
  };
  return { changes: [change], unresolved: withheldItems(missing) };
}
