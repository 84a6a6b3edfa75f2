// Bundles the compiled CLI into one file: loading ~150 small modules costs ~80 ms of every command's
// start-up, one bundle a fraction of that. dbus-next stays external (it is loaded lazily, only by
// commands that talk to a bus, and carries an optional native module).
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/cli/main.js'],
  outfile: 'dist/op-dbus.mjs',
  bundle: true,
  minify: true,
  sourcemap: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['dbus-next'],
  // commander is CommonJS and requires node built-ins; an ES module bundle needs a real require for that.
  banner: {
    js: "import { createRequire as opDbusCreateRequire } from 'node:module'; const require = opDbusCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
