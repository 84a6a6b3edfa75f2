// systemd names unit objects `/org/freedesktop/systemd1/unit/<label>`, where the label is the unit name with
// every byte outside [A-Za-z0-9] written as `_xx` (sd-bus bus_label_escape); this turns such a path back into
// the unit name without one more call per unit.
import { isValidUnitName } from '../shared/unit-name.js';

const UNIT_PATH_PREFIX = '/org/freedesktop/systemd1/unit/';

/** Inverse of sd-bus's bus_label_escape: `_2e` → `.`; a lone `_` is the empty label. */
export function unescapeBusLabel(label: string): string {
  if (label === '_') return '';
  const bytes: number[] = [];
  for (let index = 0; index < label.length; index++) {
    const hex = label.slice(index + 1, index + 3);
    if (label[index] === '_' && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      index += 2;
    } else {
      bytes.push(...Buffer.from(label[index] as string, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The unit name behind a systemd unit object path, or undefined when the path is not one. */
export function unitNameFromObjectPath(path: string): string | undefined {
  if (!path.startsWith(UNIT_PATH_PREFIX)) return undefined;
  const label = path.slice(UNIT_PATH_PREFIX.length);
  if (label === '' || label.includes('/')) return undefined;
  const name = unescapeBusLabel(label);
  return isValidUnitName(name) ? name : undefined;
}
