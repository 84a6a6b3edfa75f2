// One timed `sender | receiver` pipeline: the two processes are joined by a pipe the way a shell joins them
// (the sender's stdout is the receiver's stdin; no byte passes through this process), timed from the first
// spawn until both have exited.
import { spawn } from 'node:child_process';

function exited(child, name) {
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${name} exited with ${code}: ${stderr.trim().slice(-500)}`)),
    );
  });
}

export async function timePipeline(sender, receiver) {
  const started = process.hrtime.bigint();
  const sending = spawn(sender[0], sender.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  const receiving = spawn(receiver[0], receiver.slice(1), { stdio: [sending.stdout, 'ignore', 'pipe'] });
  // The pipe now belongs to the receiver; this process must not read from it.
  sending.stdout.destroy();
  await Promise.all([exited(sending, sender.join(' ')), exited(receiving, receiver.join(' '))]);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** How many bytes a command writes to stdout (the size of a btrfs send stream). */
export function outputBytes(command) {
  const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let bytes = 0;
  child.stdout.on('data', (chunk) => {
    bytes += chunk.length;
  });
  return exited(child, command.join(' ')).then(() => bytes);
}
