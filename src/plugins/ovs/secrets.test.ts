import { describe, expect, it } from 'vitest';
import { systemInterface, testBridge } from '../../../test/fixtures/ovsdb/vswitch-configs.js';
import { emptyPort, type VswitchConfig } from '../../ovsdb/vswitch-model.js';
import { REDACTED } from '../../state/redact.js';
import { isSecretKey, redactVswitch, restoreWithheld } from './secrets.js';

function tunnel(options: Record<string, string>, externalIds: Record<string, string> = {}): VswitchConfig {
  const bridge = testBridge('br0', {
    ipsec0: emptyPort({ ipsec0: { ...systemInterface, type: 'gre', options, externalIds } }),
  });
  bridge.otherConfig = {
    'api-token': options.psk === REDACTED ? REDACTED : 'abc',
    hwaddr: '02:00:00:00:00:01',
  };
  return { bridges: { br0: bridge } };
}

const options = (config: VswitchConfig) => config.bridges.br0?.ports.ipsec0?.interfaces.ipsec0?.options;

describe('isSecretKey', () => {
  it("knows OVS's pre-shared key and secret-named keys, and that a tunnel key is an id", () => {
    expect(isSecretKey('psk')).toBe(true);
    expect(isSecretKey('api-token')).toBe(true);
    expect(isSecretKey('password')).toBe(true);
    for (const key of ['key', 'in_key', 'remote_ip', 'remote_cert', 'peer', 'hwaddr'])
      expect(isSecretKey(key)).toBe(false);
  });
});

describe('redactVswitch', () => {
  it('withholds secret values in every map and records each place', () => {
    const { config, redactions } = redactVswitch(
      tunnel({ psk: 'swordfish', key: '42', remote_ip: '10.0.0.2' }),
    );
    expect(options(config)).toEqual({ psk: REDACTED, key: '42', remote_ip: '10.0.0.2' });
    expect(config.bridges.br0?.otherConfig).toEqual({ 'api-token': REDACTED, hwaddr: '02:00:00:00:00:01' });
    expect(JSON.stringify(config)).not.toContain('swordfish');
    expect(redactions).toEqual([
      { path: ['config', 'bridges', 'br0', 'otherConfig', 'api-token'], reason: 'OVS secret api-token' },
      {
        path: ['config', 'bridges', 'br0', 'ports', 'ipsec0', 'interfaces', 'ipsec0', 'options', 'psk'],
        reason: 'OVS secret psk',
      },
    ]);
  });
});

describe('restoreWithheld', () => {
  it('takes a withheld value from the same place on the live switch', () => {
    const live = tunnel({ psk: 'swordfish', remote_ip: '10.0.0.2' });
    const desired = tunnel({ psk: REDACTED, remote_ip: '10.0.0.3' });
    const { config, missing } = restoreWithheld(desired, live);
    expect(options(config)).toEqual({ psk: 'swordfish', remote_ip: '10.0.0.3' });
    expect(config.bridges.br0?.otherConfig['api-token']).toBe('abc');
    expect(missing).toEqual([]);
  });

  it('lists the places where the live switch has nothing to keep, leaving the marker there', () => {
    const { config, missing } = restoreWithheld(tunnel({ psk: REDACTED }), { bridges: {} });
    expect(options(config)).toEqual({ psk: REDACTED });
    expect(missing).toEqual([
      ['bridges', 'br0', 'otherConfig', 'api-token'],
      ['bridges', 'br0', 'ports', 'ipsec0', 'interfaces', 'ipsec0', 'options', 'psk'],
    ]);
  });
});
