// What an activation does besides switching `current`: the store's deploy.json (units to restart, health
// command, time limit), validated with errors naming the JSON path, with --restart-unit taking precedence.
import { posix } from 'node:path';
import { z } from 'zod';
import type { Machine } from '../machine/machine.js';
import { isValidUnitName } from '../plugins/shared/unit-name.js';
import { describeZodIssues } from '../state/document.js';
import { DeployError } from './errors.js';
import { CONFIG_FILE } from './layout.js';

export const DEFAULT_HEALTH_TIMEOUT_SECONDS = 60;

const unitName = z.string().refine((name) => isValidUnitName(name, ['plain', 'instance']), {
  message: 'not a systemd unit name that can be restarted',
});

export const deployConfigSchema = z
  .object({
    restartUnits: z.array(unitName).max(256).default([]).describe('Units restarted after each switch'),
    healthCommand: z
      .array(
        z
          .string()
          .min(1)
          .max(4096)
          .refine((arg) => !arg.includes('\0'), 'must not contain NUL'),
      )
      .min(1)
      .max(256)
      .optional()
      .describe('argv run after the restarts; exit status 0 means healthy'),
    healthTimeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(3600)
      .default(DEFAULT_HEALTH_TIMEOUT_SECONDS)
      .describe('Time limit for the restarts and for the health command, each'),
  })
  .strict();

export type DeployConfig = z.infer<typeof deployConfigSchema>;

export function parseDeployConfig(value: unknown, source: string): DeployConfig {
  const result = deployConfigSchema.safeParse(value);
  if (!result.success)
    throw new DeployError(`${source} is invalid: ${describeZodIssues(result.error.issues).join('; ')}`);
  return result.data;
}

/** The store's config (defaults when it has no deploy.json), with --restart-unit replacing its unit list. */
export async function loadDeployConfig(
  machine: Machine,
  storePath: string,
  restartUnitFlags: readonly string[],
): Promise<DeployConfig> {
  const path = posix.join(storePath, CONFIG_FILE);
  const text = await machine.files.readText(path);
  let value: unknown = {};
  if (text !== undefined) {
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new DeployError(`${path} is not JSON: ${(error as Error).message}`);
    }
  }
  const config = parseDeployConfig(value, path);
  if (restartUnitFlags.length === 0) return config;
  const flags = z.array(unitName).safeParse(restartUnitFlags);
  if (!flags.success) {
    const bad = flags.error.issues.map((issue) => `"${restartUnitFlags[issue.path[0] as number]}"`);
    throw new DeployError(`--restart-unit ${bad.join(', ')}: not a systemd unit name that can be restarted`);
  }
  return { ...config, restartUnits: flags.data };
}
