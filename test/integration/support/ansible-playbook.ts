// ansible-playbook as the export tests run it: output kept whatever the exit code, and the run an operator makes
// against a testbed target — over SSH as root, with the testbed's key, to the target's address.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { loadTestbed, type TestbedTarget } from '../testbed-env.js';

const run = promisify(execFile);

export async function ansiblePlaybook(...args: string[]): Promise<{ code: number; output: string }> {
  const options = { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ANSIBLE_NOCOLOR: '1' } };
  try {
    const { stdout, stderr } = await run('ansible-playbook', args, options);
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

export function runPlaybookOverSsh(target: TestbedTarget, playbook: string) {
  return ansiblePlaybook(
    '-i',
    `${target.targetAddress},`,
    '-u',
    'root',
    '--private-key',
    loadTestbed().sshKey,
    '--ssh-common-args',
    '-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes',
    playbook,
  );
}
