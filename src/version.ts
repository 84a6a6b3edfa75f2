// The running op-dbus version, read from package.json so captures say which release produced them.
import { readFileSync } from 'node:fs';

function readVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

export const OP_DBUS_VERSION = readVersion();
