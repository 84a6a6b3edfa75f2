// PLACEHOLDER until the dbus-services plugin lands.
import { z } from 'zod';
import type { Plugin } from '../types.js';

export const dbusServicesPlugin: Plugin = {
  name: 'dbus-services',
  summary: 'placeholder',
  managedBusNames: [],
  configSchema: z.object({}),
  factsSchema: z.object({}),
  available: async () => ({ ok: false, reason: 'not built yet' }),
  discover: async () => ({ config: {}, facts: {} }),
};
