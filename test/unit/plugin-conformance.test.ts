import { afterAll } from 'vitest';
import { createFixtureRoot, PLANTED_SECRET } from '../conformance/fixture-root.js';
import { describePluginConformance } from '../conformance/plugin-conformance.js';

const fixture = createFixtureRoot();
afterAll(() => fixture.remove());

describePluginConformance({
  where: 'fixture root without a bus',
  machine: fixture.machine,
  plantedSecret: PLANTED_SECRET,
  // Plugins with a file fallback must work without D-Bus.
  mustBeAvailable: ['identity', 'kernel', 'packages', 'network'],
});
