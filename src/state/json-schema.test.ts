import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { plugins } from '../plugins/registry.js';
import { machineStateJsonSchema } from './json-schema.js';

describe('schema/machine-state.v1.json', () => {
  it('is the schema generated from the code (run `npm run schema` after changing a schema)', () => {
    const committed = JSON.parse(
      readFileSync(new URL('../../schema/machine-state.v1.json', import.meta.url), 'utf8'),
    );
    expect(committed).toEqual(JSON.parse(JSON.stringify(machineStateJsonSchema(plugins))));
  });

  it('describes every plugin section', () => {
    const schema = machineStateJsonSchema(plugins) as {
      properties: { sections: { properties: Record<string, unknown> } };
    };
    expect(Object.keys(schema.properties.sections.properties).sort()).toEqual(
      plugins.map((p) => p.name).sort(),
    );
  });
});
