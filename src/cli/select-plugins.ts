// Resolves repeated `--plugin NAME` flags against the registry, rejecting unknown names up front.
import { findPlugin, pluginNames, plugins } from '../plugins/registry.js';
import type { Plugin } from '../plugins/types.js';
import { UsageError } from './errors.js';

export function collectRepeatable(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').filter(Boolean)];
}

export function selectPlugins(names: readonly string[] | undefined): Plugin[] {
  if (!names || names.length === 0) return [...plugins];
  return [...new Set(names)].map((name) => {
    const plugin = findPlugin(name);
    if (!plugin) throw new UsageError(`unknown plugin "${name}"`, `known plugins: ${pluginNames.join(', ')}`);
    return plugin;
  });
}
