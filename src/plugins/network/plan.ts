// Pure planning for the network section: networkd files created, replaced or removed under
// /etc/systemd/network, then one network1 Reload so networkd applies them — risky when it reconfigures a link
// that carries traffic now.
import { type Change, changeId, type PluginPlan } from '../../engine/change.js';
import { toDisplayPath } from '../../state/json-path.js';
import { type FileSpec, MASK_TARGET, planFileChanges } from '../shared/file-changes.js';
import type { CurrentSection } from '../types.js';
import { configuredFileName } from './networkd-path.js';
import type { NetworkConfig, NetworkFacts, NetworkLink } from './schema.js';

const PLUGIN = 'network';
export const NETWORKD_FILE_KIND = 'networkd-file';

function fileSpecs(files: NetworkConfig['files']): Map<string, FileSpec> {
  return new Map(
    Object.entries(files).map(([path, file]) => [
      path,
      file.masked ? { symlink: MASK_TARGET } : { content: file.content },
    ]),
  );
}

/** A link with an address that is up: reconfiguring it may cut traffic, possibly the operator's own session. */
function carriesTraffic(link: NetworkLink): boolean {
  return (link.addresses?.length ?? 0) > 0 && link.operState === 'up';
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Links in use whose .network file a change touches. networkd picks a file by name across /etc, /run and
 * /usr/lib (the first directory wins), and applies `<name>.network.d/*.conf` to every file of that name, so a
 * change matters to a link when it configures the same file name as the one networkd applied to it.
 */
function linksAffected(changes: readonly Change[], links: readonly NetworkLink[]): NetworkLink[] {
  const names = new Set(
    changes.map((change) => configuredFileName(change.target)).filter((name) => name.endsWith('.network')),
  );
  return links.filter((link) => {
    const applied = link.networkd?.networkFile;
    return applied && carriesTraffic(link) && names.has(baseName(applied));
  });
}

function reloadChange(fileChanges: readonly Change[], links: readonly NetworkLink[]): Change {
  const affected = linksAffected(fileChanges, links);
  const described = affected.map((link) => `${link.name} (${(link.addresses ?? []).join(', ')})`).join(', ');
  return {
    id: changeId(PLUGIN, 'reload', 'systemd-networkd'),
    plugin: PLUGIN,
    kind: 'reload',
    action: 'update',
    target: 'systemd-networkd',
    phase: 'reload',
    description: 'reload systemd-networkd (network1 Reload) so it applies the changed files',
    reason: `${fileChanges.length} networkd file${fileChanges.length === 1 ? '' : 's'} change`,
    ...(affected.length > 0
      ? {
          risk: 'high' as const,
          riskNote: `reconfigures ${described}, whose .network file changes: this may cut the connection you are using`,
        }
      : {
          risk: 'medium' as const,
          riskNote:
            'networkd reconfigures every link whose configuration changes; a new file may match a link in use',
        }),
    dependsOn: fileChanges.map((change) => change.id),
    undoLast: true,
  };
}

export function planNetworkChanges(
  current: CurrentSection<NetworkConfig, NetworkFacts>,
  desired: NetworkConfig,
): PluginPlan {
  // Without a running networkd nothing is reloaded: it reads the files when it next starts.
  const networkdRuns = current.facts.source === 'networkd';
  const files = planFileChanges({
    plugin: PLUGIN,
    kind: NETWORKD_FILE_KIND,
    current: fileSpecs(current.config.files),
    desired: fileSpecs(desired.files),
    jsonPathOf: (path) => toDisplayPath(['sections', PLUGIN, 'config', 'files', path]),
  });
  const changes = files.changes.map((change) =>
    // udev applies .link files when a device appears, not networkd on reload.
    change.target.endsWith('.link') || change.target.includes('.link.d/') || !networkdRuns
      ? { ...change, pendingReboot: true }
      : change,
  );
  if (changes.length > 0 && networkdRuns) changes.push(reloadChange(files.changes, current.facts.links));
  return { changes, unresolved: files.unresolved };
}
