// Which names and values survive being spliced unquoted into an ovs-vsctl command line, as NixOS's vswitch
// script and the openvswitch Ansible modules do (a shell or Python's shlex splits it, then ovs-vsctl parses it).
import { REDACTED } from '../../state/redact.js';

/** Words a shell and shlex leave alone and ovs-vsctl reads as one bare string. */
const SAFE_WORD = /^[A-Za-z0-9_.@+/-][A-Za-z0-9_.:@+/-]*$/;
/** Map keys must not hold `:` either (ovs-vsctl's column:key separator). */
const SAFE_KEY = /^[A-Za-z0-9_.@+/-]+$/;

export const isSafeWord = (word: string): boolean => SAFE_WORD.test(word);

export const UNSAFE_WORD =
  'it would be spliced into an ovs-vsctl command line unquoted, and it has characters a shell or ovs-vsctl would misread';
export const WITHHELD_SECRET = 'the capture withheld this secret';

/** Why the map entry cannot be written this way, or undefined when it can. */
export function mapEntryProblem(key: string, value: string): string | undefined {
  if (value === REDACTED) return WITHHELD_SECRET;
  if (!SAFE_KEY.test(key) || !SAFE_WORD.test(value)) return UNSAFE_WORD;
  return undefined;
}
