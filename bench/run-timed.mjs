// Runs one command as a child process and measures its wall time, from spawn to exit with its output
// drained: what a user waiting at a shell prompt would see.
import { spawn } from 'node:child_process';

/** Resolves with { ms, code, stdout, stderr }; never rejects for a non-zero exit (callers judge that). */
export function runTimed(command, args, { input, env, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const stdout = [];
    const stderr = [];
    const started = performance.now();
    const child = spawn(command, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({
        ms: performance.now() - started,
        code: code ?? `signal ${signal}`,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
    child.stdin.end(input ?? '');
  });
}
