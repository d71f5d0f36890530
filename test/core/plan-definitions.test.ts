/**
 * planDefinitions: create, no-op, PATCH of the changed fields, immutable type/entityType as located
 * problems, dropdown option removal with and without replacement, the notes on stored values, owners,
 * unmanaged definitions and tug's own marker definition.
 */
import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/core/plan.js';
import type { CustomFieldDefinitionManifest } from '../../src/kinds/custom-field-definition/manifest.js';
import { planDefinitions } from '../../src/kinds/custom-field-definition/plan.js';
import type { Definition } from '../../src/trackunit/endpoints/custom-fields.js';
import { desiredObject, liveDefinition, planInput } from './builders.js';

const FILE = 'manifests/custom-fields.yaml';

const fuel = (over: Partial<CustomFieldDefinitionManifest> = {}): CustomFieldDefinitionManifest => ({
  kind: 'CustomFieldDefinition',
  key: 'fuel',
  entityType: 'ASSET',
  type: 'DROPDOWN',
  title: 'Fuel',
  scope: 'ACCOUNT',
  options: ['Diesel', 'HVO100', 'Petrol'],
  ...over,
});

const doc = (m: CustomFieldDefinitionManifest) => desiredObject(m, FILE, 10, { type: '13:7', entityType: '12:13', options: '16:1', key: '11:6' });

/** The live definition that the create of `m` would leave behind. */
function liveFrom(m: CustomFieldDefinitionManifest, over: Partial<Definition> = {}): Definition {
  const [input, refs] = planInput([doc(m)]);
  const create = planDefinitions(input, refs).changes[0] as Change;
  return liveDefinition({ ...(create.requests[0]!.body as unknown as Definition), id: 'def-1', ...over });
}

const run = (manifests: CustomFieldDefinitionManifest[], definitions: Definition[], prune: Array<'Customer' | 'Depot'> = []) => {
  const [input, refs] = planInput(manifests.map(doc), { definitions }, { prune });
  return planDefinitions(input, refs);
};

describe('planDefinitions', () => {
  it('creates a missing definition with the API spellings (options → allValues, scope → scopeType)', () => {
    const plan = run([fuel({ translations: [{ language: 'da', title: 'Brændstof' }] })], []);
    expect(plan.changes).toHaveLength(1);
    const change = plan.changes[0]!;
    expect(change).toMatchObject({ key: 'create:CustomFieldDefinition/fuel', op: 'create', level: 0, reason: `${FILE}:10`, dependsOn: [] });
    expect(change.fingerprint).toBeUndefined();
    expect(change.requests).toEqual([
      {
        family: 'custom-fields',
        method: 'POST',
        idempotent: false,
        path: '/api/custom-fields/v1/definitions',
        body: {
          key: 'fuel',
          entityType: 'ASSET',
          type: 'DROPDOWN',
          title: 'Fuel',
          translations: [{ language: 'da', title: 'Brændstof' }],
          uiVisible: true,
          uiEditable: true,
          scopeType: 'ACCOUNT',
          allValues: ['Diesel', 'HVO100', 'Petrol'],
          multiSelect: false,
        },
      },
    ]);
    expect(change.patch).toContainEqual({ op: 'add', path: '/allValues', value: ['Diesel', 'HVO100', 'Petrol'] });
  });

  it('plans nothing when the live definition matches (defaults and resolved description included)', () => {
    const number: CustomFieldDefinitionManifest = {
      kind: 'CustomFieldDefinition',
      key: 'hours',
      entityType: 'ASSET',
      type: 'NUMBER',
      title: 'Hours',
      translations: [
        { language: 'en', title: 'Hours', description: 'Service interval' },
        { language: 'da', title: 'Timer' },
      ],
      minimum: 50,
    };
    const liveHours = liveFrom(number, { id: 'def-2', description: 'Service interval', translations: [{ language: 'en', title: 'Hours', description: 'Service interval' }, { language: 'da', title: 'Timer', description: null }] });
    const plan = run([fuel(), number], [liveFrom(fuel()), liveHours]);
    expect(plan.changes).toEqual([]);
    expect(plan.problems).toEqual([]);
    expect(plan.managed).toEqual({ CustomFieldDefinition: 2 });
  });

  it('PATCHes only the changed field, with its fingerprint and reason', () => {
    const live = liveFrom(fuel());
    const plan = run([fuel({ title: 'Fuel type' })], [live]);
    const change = plan.changes[0]!;
    expect(change).toMatchObject({ key: 'update:CustomFieldDefinition/fuel', liveId: 'def-1', reason: `${FILE}:10`, notes: [] });
    expect(change.patch).toEqual([{ op: 'replace', path: '/title', value: 'Fuel type' }]);
    expect(change.requests).toEqual([{ family: 'custom-fields', method: 'PATCH', idempotent: true, path: '/api/custom-fields/v1/definitions/def-1', body: { title: 'Fuel type' } }]);
    expect(change.fingerprint).toMatch(/^sha256:/);
  });

  it('refuses a type change with a problem at the manifest type line, and plans no change', () => {
    const live = liveFrom(fuel({ type: 'STRING', options: undefined }));
    const plan = run([fuel({ type: 'NUMBER', options: undefined })], [live]);
    expect(plan.changes).toEqual([]);
    expect(plan.problems).toEqual([
      {
        kind: 'CustomFieldDefinition',
        id: 'fuel',
        message: 'type cannot change from STRING to NUMBER: it needs a new field (a new key)',
        location: `${FILE}:13:7`,
        severity: 'error',
      },
    ]);
  });

  it('refuses an entityType change the same way', () => {
    const plan = run([fuel({ entityType: 'SITE' })], [liveFrom(fuel())]);
    expect(plan.changes).toEqual([]);
    expect(plan.problems[0]).toMatchObject({ message: 'entityType cannot change from ASSET to SITE: it needs a new field (a new key)', location: `${FILE}:12:13` });
  });

  it('reports removing a dropdown option without a replacement, naming the option', () => {
    const plan = run([fuel({ options: ['HVO100', 'Petrol'] })], [liveFrom(fuel())]);
    expect(plan.changes).toEqual([]);
    expect(plan.problems).toHaveLength(1);
    expect(plan.problems[0]).toMatchObject({ severity: 'error', location: `${FILE}:16:1` });
    expect(plan.problems[0]!.message).toContain('"Diesel"');
  });

  it('removes an option with its replacement and says what happens to stored values', () => {
    const plan = run([fuel({ options: ['HVO100', 'Petrol'], replacements: { Diesel: 'HVO100', Gone: 'Petrol' } })], [liveFrom(fuel())]);
    expect(plan.problems).toEqual([]);
    const change = plan.changes[0]!;
    expect(change.requests[0]!.body).toEqual({ allValues: ['HVO100', 'Petrol'], valueReplacements: { Diesel: 'HVO100' } });
    expect(change.notes).toEqual(['values holding "Diesel" become "HVO100"']);
  });

  it('notes multi→single select, a tighter range, a shorter maximum length', () => {
    const multi = run([fuel({ multiSelect: false })], [liveFrom(fuel({ multiSelect: true }))]);
    expect(multi.changes[0]!.notes).toEqual(['values with more than one option are cleared (kept in lastIncompatibleValue)']);
    const num = (over: Partial<CustomFieldDefinitionManifest>) => fuel({ type: 'NUMBER', options: undefined, ...over });
    const range = run([num({ maximum: 100 })], [liveFrom(num({ maximum: 200 }))]);
    expect(range.changes[0]!.notes).toEqual(['values outside the new range become empty (kept in lastIncompatibleValue)']);
    expect(range.changes[0]!.requests[0]!.body).toEqual({ maximum: 100 });
    const widened = run([num({ maximum: 300 })], [liveFrom(num({ maximum: 200 }))]);
    expect(widened.changes[0]!.notes).toEqual([]);
    const str = (over: Partial<CustomFieldDefinitionManifest>) => fuel({ type: 'STRING', options: undefined, ...over });
    const length = run([str({ maximumLength: 20 })], [liveFrom(str({}))]);
    expect(length.changes[0]!.notes).toEqual(['longer values are truncated']);
  });

  it('does not manage definitions owned by Trackunit or an app', () => {
    const plan = run([fuel()], [liveFrom(fuel(), { owner: 'TRACKUNIT' })]);
    expect(plan.changes).toEqual([]);
    expect(plan.problems[0]).toMatchObject({ message: 'custom field "fuel" is owned by Trackunit; cannot be managed', location: `${FILE}:11:6` });
  });

  it('lists account-owned definitions no manifest names as unmanaged, never the marker or foreign ones', () => {
    const other = liveDefinition({ id: 'def-9', key: 'colour', type: 'STRING', entityType: 'ASSET' });
    const marker = liveDefinition({ id: 'def-m', key: 'tugManaged', type: 'STRING', entityType: 'CUSTOMER' });
    const standard = liveDefinition({ id: 'def-s', key: 'licensePlate', type: 'STRING', entityType: 'ASSET', owner: 'TRACKUNIT' });
    const plan = run([fuel()], [liveFrom(fuel()), other, marker, standard]);
    expect(plan.unmanaged).toEqual([{ kind: 'CustomFieldDefinition', liveId: 'def-9', label: 'colour (ASSET STRING)' }]);
    expect(plan.changes.filter((c) => c.op === 'delete')).toEqual([]);
  });

  it('plans the customer marker definition when Customer prune is on and it does not exist', () => {
    const plan = run([], [], ['Customer']);
    expect(plan.changes).toHaveLength(1);
    expect(plan.changes[0]).toMatchObject({ key: 'create:CustomFieldDefinition/tugManaged', reason: 'tug.yaml prune.kinds' });
    expect(plan.changes[0]!.requests[0]!.body).toMatchObject({ key: 'tugManaged', entityType: 'CUSTOMER', type: 'STRING', uiVisible: false, uiEditable: false });
    const existing = liveDefinition({ id: 'def-m', key: 'tugManaged', type: 'STRING', entityType: 'CUSTOMER' });
    expect(run([], [existing], ['Customer']).changes).toEqual([]);
    expect(run([], [], ['Depot']).changes).toEqual([]);
  });

  it('lists protected definitions', () => {
    expect(run([fuel({ protected: true })], []).protectedIdentities).toEqual(['CustomFieldDefinition/fuel']);
  });
});
