// Unit tests of the benchmark's pure helpers: `npx vitest run -c bench/vitest.config.mjs`
// (the project's vitest.config.ts only collects src/ and test/).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: new URL('..', import.meta.url).pathname,
  test: { include: ['bench/**/*.test.mjs'], environment: 'node' },
});
