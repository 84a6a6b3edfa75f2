// Secrets in Open vSwitch's string maps: an IPsec tunnel's pre-shared key (options:psk) and any secret-named
// key elsewhere are withheld at capture. Writing back, a withheld value means "keep what the switch has".
import type {
  VswitchBridge,
  VswitchConfig,
  VswitchInterface,
  VswitchPort,
} from '../../ovsdb/vswitch-model.js';
import type { PathSegment } from '../../state/json-path.js';
import { isSecretName, REDACTED, type SectionRedaction } from '../../state/redact.js';

/** ovs-vswitchd.conf.db(5): `psk` authenticates IPsec tunnels. (`key` is a tunnel id, not a secret.) */
const OVS_SECRET_KEYS = new Set(['psk']);

export function isSecretKey(key: string): boolean {
  return OVS_SECRET_KEYS.has(key) || isSecretName(key);
}

type StringMap = Record<string, string>;

/** Calls `visit` with every string map of the configuration, parents first, and puts back what it returns. */
function mapMaps(
  config: VswitchConfig,
  visit: (map: StringMap, path: PathSegment[]) => StringMap,
): VswitchConfig {
  const labels = (path: PathSegment[], item: { otherConfig: StringMap; externalIds: StringMap }) => ({
    otherConfig: visit(item.otherConfig, [...path, 'otherConfig']),
    externalIds: visit(item.externalIds, [...path, 'externalIds']),
  });
  const iface = (path: PathSegment[], item: VswitchInterface): VswitchInterface => ({
    ...item,
    options: visit(item.options, [...path, 'options']),
    externalIds: visit(item.externalIds, [...path, 'externalIds']),
  });
  const port = (path: PathSegment[], item: VswitchPort): VswitchPort => ({
    ...item,
    ...labels(path, item),
    interfaces: mapRecord(item.interfaces, (name, child) => iface([...path, 'interfaces', name], child)),
  });
  const bridge = (path: PathSegment[], item: VswitchBridge): VswitchBridge => ({
    ...item,
    ...labels(path, item),
    ports: mapRecord(item.ports, (name, child) => port([...path, 'ports', name], child)),
  });
  return { bridges: mapRecord(config.bridges, (name, item) => bridge(['bridges', name], item)) };
}

function mapRecord<Item>(
  record: Record<string, Item>,
  map: (name: string, item: Item) => Item,
): Record<string, Item> {
  return Object.fromEntries(Object.entries(record).map(([name, item]) => [name, map(name, item)]));
}

/** The configuration with secret values replaced by the marker, and where each one was. */
export function redactVswitch(config: VswitchConfig): {
  config: VswitchConfig;
  redactions: SectionRedaction[];
} {
  const redactions: SectionRedaction[] = [];
  const redacted = mapMaps(config, (map, path) => {
    const out: StringMap = {};
    for (const [key, value] of Object.entries(map)) {
      const secret = isSecretKey(key) && value !== '' && value !== REDACTED;
      if (secret) redactions.push({ path: ['config', ...path, key], reason: `OVS secret ${key}` });
      out[key] = secret ? REDACTED : value;
    }
    return out;
  });
  return { config: redacted, redactions };
}

function valueAt(config: VswitchConfig, path: readonly PathSegment[], key: string): string | undefined {
  let node: unknown = config;
  for (const segment of path) node = (node as Record<PathSegment, unknown> | undefined)?.[segment];
  return (node as StringMap | undefined)?.[key];
}

/**
 * `desired` with each withheld value taken from the same place in `live`; `missing` lists the places where
 * `live` has no value to keep, which op-dbus cannot write (paths relative to the section's config).
 */
export function restoreWithheld(
  desired: VswitchConfig,
  live: VswitchConfig,
): { config: VswitchConfig; missing: PathSegment[][] } {
  const missing: PathSegment[][] = [];
  const config = mapMaps(desired, (map, path) => {
    const out: StringMap = {};
    for (const [key, value] of Object.entries(map)) {
      const kept = value === REDACTED ? valueAt(live, path, key) : value;
      if (kept === undefined) missing.push([...path, key]);
      out[key] = kept ?? value;
    }
    return out;
  });
  return { config, missing };
}
