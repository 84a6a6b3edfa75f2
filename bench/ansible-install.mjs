// Makes sure the Ansible peer can run: Debian's ansible-core on the host (installed when missing, and
// said so; the benchmark runs as root anyway because the testbed needs it).
import { spawnSync } from 'node:child_process';

const APT_ARGS = ['install', '-y', '--no-install-recommends', 'ansible-core'];
export const APT_COMMAND = `apt-get ${APT_ARGS.join(' ')}`;

/** "ansible-playbook [core 2.14.18]", or undefined when it is not installed. */
function installedVersion() {
  const result = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.split('\n')[0].trim() : undefined;
}

export function ensureAnsibleCore(log) {
  const version = installedVersion();
  if (version) return version;
  if (process.getuid?.() !== 0) {
    throw new Error(`Ansible is not installed: run \`sudo ${APT_COMMAND}\`, or pass --no-ansible`);
  }
  log(`ansible-playbook is missing: installing Debian's ansible-core (${APT_COMMAND})`);
  const result = spawnSync('apt-get', APT_ARGS, {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  const installed = result.status === 0 ? installedVersion() : undefined;
  if (!installed) {
    throw new Error(
      `installing ansible-core failed: try \`sudo apt-get update && sudo ${APT_COMMAND}\`, or pass --no-ansible`,
    );
  }
  return installed;
}
