// Who is acting, as the ledger records it: the user name and uid of the process, and the sudo caller behind it.
import { userInfo } from 'node:os';

// Only a name of this grammar is taken from SUDO_USER: the variable is a claim, not a credential.
const USER_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?$/;

function processUserName(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry for this uid (a minimal container).
    return env.USER || env.LOGNAME || 'unknown';
  }
}

/** e.g. "root (uid 0)", "alice (uid 1000) via sudo", "alice (uid 1000) via sudo as backup (uid 34)". */
export function currentActor(env: NodeJS.ProcessEnv = process.env): string {
  const uid = process.getuid?.() ?? -1;
  const self = `${processUserName(env)} (uid ${uid})`;
  const sudoUser = env.SUDO_USER;
  if (!sudoUser || !USER_NAME.test(sudoUser)) return self;
  const sudoUid = env.SUDO_UID && /^\d+$/.test(env.SUDO_UID) ? ` (uid ${env.SUDO_UID})` : '';
  return uid === 0 ? `${sudoUser}${sudoUid} via sudo` : `${sudoUser}${sudoUid} via sudo as ${self}`;
}
