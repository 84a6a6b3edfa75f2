// Reads apt's auto-installed marks (/var/lib/apt/extended_states): which packages apt pulled in as
// dependencies rather than the administrator asking for them.
import { parseDeb822 } from './parse-deb822.js';

export interface AutoInstalledMark {
  name: string;
  /** Absent in files written before multi-arch apt; apt reads those as the native architecture. */
  architecture?: string;
}

/** Packages marked `Auto-Installed: 1`; entries with `0` or without the field are manual. */
export function parseExtendedStates(text: string): AutoInstalledMark[] {
  const marks: AutoInstalledMark[] = [];
  for (const stanza of parseDeb822(text)) {
    const name = stanza.package?.trim();
    if (!name || stanza['auto-installed']?.trim() !== '1') continue;
    const architecture = stanza.architecture?.trim();
    marks.push(architecture ? { name, architecture } : { name });
  }
  return marks;
}
