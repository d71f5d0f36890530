/**
 * The kind lists in schemas/manifest.schema.json and schemas/tug.schema.json are written from the
 * registry by `npm run schemas` (scripts/schemas.ts): the committed files must be what it writes, and
 * what it writes for another set of kinds must name exactly those.
 */
import { describe, expect, it } from 'vitest';
import { GENERATED, generatedSchemas, readSchema, registryKinds, type KindEntry } from '../../scripts/schemas.js';

describe('generated schema kind lists', () => {
  it('the committed files list the registry kinds (else: run `npm run schemas`)', () => {
    const wanted = generatedSchemas(readSchema, registryKinds());
    for (const file of GENERATED) expect(readSchema(file), `schemas/${file} is out of date: run \`npm run schemas\``).toBe(wanted[file]);
  });

  it('a kind added to the registry appears everywhere a kind is listed; the rest stays byte for byte', () => {
    const kinds: KindEntry[] = [...registryKinds(), { name: 'Worksite', schemaFile: 'worksite.schema.json' }];
    const out = generatedSchemas(readSchema, kinds);
    const manifest = JSON.parse(out['manifest.schema.json']);
    expect(manifest.properties.kind.enum).toEqual(kinds.map((k) => k.name));
    expect(manifest.allOf.map((c: { then: { $ref: string } }) => c.then.$ref)).toEqual(kinds.map((k) => k.schemaFile));
    expect(manifest.description).toContain('Asset, Contract or Worksite)');
    const tug = JSON.parse(out['tug.schema.json']);
    expect(tug.$defs.kindName.enum).toEqual(kinds.map((k) => k.name));
    expect(Object.keys(tug.$defs.thresholdMap.properties)).toEqual(['default', ...kinds.map((k) => k.name)]);
    expect(tug.$defs.thresholdMap.properties.Depot.description).toBe('The threshold for depots.');
    expect(new RegExp(tug.properties.protect.items.pattern).test('Worksite/harbour')).toBe(true);
    expect(tug.properties.protect.items.errorMessage).toContain('Asset, Contract, Worksite or `*`');
    // Removing it again gives back exactly what the registry writes (compared with that, not with the
    // committed files, so a stale file fails only the test above, the one naming the command).
    const back = generatedSchemas((file) => out[file as (typeof GENERATED)[number]], registryKinds());
    const current = generatedSchemas(readSchema, registryKinds());
    for (const file of GENERATED) expect(back[file]).toBe(current[file]);
  });
});
