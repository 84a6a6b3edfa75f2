// Parses the reply of org.freedesktop.systemd1.Manager.ListUnits (`a(ssssssouso)`) into the fields the
// conversion-candidate search needs, dropping rows that do not have the documented shape.
import { compareStrings } from '../../util/order.js';
import { isValidUnitName } from '../shared/unit-name.js';

export interface ListedUnit {
  name: string;
  description: string;
  loadState: string;
  activeState: string;
  subState: string;
}

export function parseListUnitsReply(value: unknown): ListedUnit[] {
  if (!Array.isArray(value)) return [];
  const units: ListedUnit[] = [];
  for (const row of value) {
    if (!Array.isArray(row) || row.length < 5 || !row.slice(0, 5).every((field) => typeof field === 'string'))
      continue;
    const [name, description, loadState, activeState, subState] = row as string[];
    if (!isValidUnitName(name as string)) continue;
    units.push({
      name: name as string,
      description: description as string,
      loadState: loadState as string,
      activeState: activeState as string,
      subState: subState as string,
    });
  }
  return units.sort((a, b) => compareStrings(a.name, b.name));
}
