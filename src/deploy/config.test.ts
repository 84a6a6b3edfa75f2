import { describe, expect, it } from 'vitest';
import { DEFAULT_HEALTH_TIMEOUT_SECONDS, parseDeployConfig } from './config.js';

describe('deploy.json', () => {
  it('fills in defaults', () => {
    expect(parseDeployConfig({}, 'deploy.json')).toEqual({
      restartUnits: [],
      healthTimeoutSeconds: DEFAULT_HEALTH_TIMEOUT_SECONDS,
    });
  });

  it('names the JSON path of each problem', () => {
    expect(() =>
      parseDeployConfig(
        { restartUnits: ['web.service', 'bad unit'], healthTimeoutSeconds: 0 },
        'deploy.json',
      ),
    ).toThrow(/\$\.restartUnits\[1\]: not a systemd unit name.*\$\.healthTimeoutSeconds/);
    expect(() => parseDeployConfig({ healthCommand: [] }, 'deploy.json')).toThrow(/\$\.healthCommand/);
    expect(() => parseDeployConfig({ restartUnit: [] }, 'deploy.json')).toThrow(/restartUnit/);
    expect(() => parseDeployConfig({ restartUnits: ['getty@.service'] }, 'deploy.json')).toThrow(
      /restartUnits\[0\]/,
    );
  });
});
