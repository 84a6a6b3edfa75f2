import { describe, expect, it } from 'vitest';
import { plugins } from '../registry.js';
import type { ListedUnit } from './list-units.js';
import {
  conversionHintFor,
  RECOMMENDED_PLUGINS,
  recommendedPluginFor,
  selectConversionCandidates,
} from './recommendations.js';

const unit = (name: string, activeState = 'active', subState = 'running'): ListedUnit => ({
  name,
  description: `${name} description`,
  loadState: 'loaded',
  activeState,
  subState,
});

describe('recommendedPluginFor', () => {
  it('names the plugin for well-known services and nothing for unknown ones', () => {
    expect(recommendedPluginFor('org.freedesktop.login1')).toBe('login1');
    expect(recommendedPluginFor('org.freedesktop.NetworkManager')).toBe('networkmanager');
    expect(recommendedPluginFor('org.freedesktop.PolicyKit1')).toBe('polkit');
    expect(recommendedPluginFor('com.example.Unknown')).toBeUndefined();
  });

  it('recommends nothing for names a shipped plugin manages', () => {
    const managed = plugins.flatMap((plugin) => plugin.managedBusNames);
    expect(managed).toEqual(
      expect.arrayContaining(['org.freedesktop.systemd1', 'org.freedesktop.PackageKit']),
    );
    expect(managed.filter((name) => recommendedPluginFor(name) !== undefined)).toEqual([]);
  });

  it('never names a shipped plugin: a shipped plugin claims its names through managedBusNames', () => {
    const shipped = new Set(plugins.map((plugin) => plugin.name));
    expect([...RECOMMENDED_PLUGINS].filter(([, plugin]) => shipped.has(plugin))).toEqual([]);
  });
});

describe('conversionHintFor', () => {
  it('knows common daemons, template instances and versioned names', () => {
    expect(conversionHintFor('nginx.service').difficulty).toBe('easy');
    expect(conversionHintFor('docker.service')).toEqual({
      difficulty: 'medium',
      opportunity: expect.stringContaining('Docker'),
    });
    expect(conversionHintFor('wg-quick@wg0.service').difficulty).toBe('easy');
    expect(conversionHintFor('php8.2-fpm.service').difficulty).toBe('medium');
    expect(conversionHintFor('containerd.service').difficulty).toBe('hard');
  });
  it('falls back to a generic hint', () => {
    expect(conversionHintFor('my-app.service')).toEqual({
      difficulty: 'unknown',
      opportunity: expect.stringContaining('D-Bus'),
    });
  });
});

describe('selectConversionCandidates', () => {
  it('keeps running services that own no bus name, sorted', () => {
    const units = [
      unit('ssh.service'),
      unit('cron.service'),
      unit('systemd-logind.service'),
      unit('systemd-tmpfiles-setup.service', 'active', 'exited'),
      unit('apache2.service', 'inactive', 'dead'),
      unit('ovsdb-server.service'),
      unit('sockets.target', 'active', 'active'),
      unit('dbus.socket', 'active', 'running'),
    ];
    const candidates = selectConversionCandidates(units, new Set(['systemd-logind.service']));
    expect(candidates.map((c) => c.unit)).toEqual(['cron.service', 'ovsdb-server.service', 'ssh.service']);
    expect(candidates[0]).toEqual({
      unit: 'cron.service',
      description: 'cron.service description',
      difficulty: 'easy',
      opportunity: expect.any(String),
    });
  });
  it('leaves out consoles, login sessions and op-dbus itself', () => {
    const units = [
      'getty@tty1.service',
      'serial-getty@ttyS0.service',
      'console-getty.service',
      'container-getty@1.service',
      'user@0.service',
      'op-dbus-agent.service',
    ].map((name) => unit(name));
    expect(selectConversionCandidates(units, new Set())).toEqual([]);
  });
});
