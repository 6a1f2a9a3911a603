import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkLabJsonSchema, renderLabJsonSchema } from '../../scripts/gen-schema.js';
import { CheckSchema } from '../../src/lab/schema.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

describe('schema/lab.schema.json', () => {
  it('is up to date with the zod schema (run: node --import tsx scripts/gen-schema.ts)', async () => {
    assert.equal(await checkLabJsonSchema(repoRoot), true);
  });

  it('describes every check kind and rejects unknown fields', () => {
    const schema = JSON.parse(renderLabJsonSchema());
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual(schema.required, ['name', 'title', 'track', 'summary', 'scope', 'steps']);
    const kinds = schema.definitions.Check.oneOf.map((ref: { $ref: string }) => {
      const id = ref.$ref.replace('#/definitions/', '');
      return schema.definitions[id].properties.kind.const;
    });
    assert.deepEqual(kinds, CheckSchema.options.map((o) => o.shape.kind.value));
  });

  it('is what the committed file holds, byte for byte', () => {
    assert.equal(readFileSync(new URL('../../schema/lab.schema.json', import.meta.url), 'utf8'), renderLabJsonSchema());
  });
});
