// PLACEHOLDER until the systemd plugin lands.
import { z } from 'zod';
import type { Plugin } from '../types.js';

export const systemdPlugin: Plugin = {
  name: 'systemd',
  summary: 'placeholder',
  managedBusNames: [],
  configSchema: z.object({}),
  factsSchema: z.object({}),
  available: async () => ({ ok: false, reason: 'not built yet' }),
  discover: async () => ({ config: {}, facts: {} }),
};
