/**
 * planCustomFieldValues: both sides in the manifest's plain form, only mentioned keys, one set-values
 * request listing the differing keys (sorted) with the typed wrapper of each.
 */
import { describe, expect, it } from 'vitest';
import { fieldTypesOf, planCustomFieldValues, type FieldTypeInfo } from '../../src/kinds/custom-field-values.js';
import type { EntityField } from '../../src/trackunit/endpoints/custom-fields.js';
import { desiredObject, desiredState, emptyLiveState, entityField, liveDefinition } from './builders.js';

const defs = {
  manager: liveDefinition({ id: 'd1', key: 'manager', type: 'STRING', entityType: 'SITE' }),
  tags: liveDefinition({ id: 'd2', key: 'tags', type: 'DROPDOWN', entityType: 'SITE', multiSelect: true, allValues: ['a', 'b', 'c'] }),
  opened: liveDefinition({ id: 'd3', key: 'opened', type: 'DATE', entityType: 'SITE' }),
  budget: liveDefinition({ id: 'd4', key: 'budget', type: 'MONETARY', entityType: 'SITE', currency: 'DKK' }),
  extra: liveDefinition({ id: 'd5', key: 'extra', type: 'JSON', entityType: 'SITE' }),
  bays: liveDefinition({ id: 'd6', key: 'bays', type: 'NUMBER', entityType: 'SITE' }),
  open: liveDefinition({ id: 'd7', key: 'open', type: 'BOOLEAN', entityType: 'SITE' }),
};

const types = new Map<string, FieldTypeInfo>([
  ['manager', { type: 'STRING' }],
  ['tags', { type: 'DROPDOWN', multiSelect: true }],
  ['opened', { type: 'DATE' }],
  ['budget', { type: 'MONETARY', currency: 'DKK' }],
  ['extra', { type: 'JSON' }],
  ['bays', { type: 'NUMBER' }],
  ['open', { type: 'BOOLEAN' }],
]);

const live: EntityField[] = [
  entityField(defs.manager, 's1', { stringValue: 'Mette' }),
  entityField(defs.tags, 's1', { stringArrayValue: ['b', 'a'] }),
  entityField(defs.opened, 's1', { dateValue: '2024-05-01' }),
  entityField(defs.budget, 's1', { monetaryValue: { amount: 1000, currency: 'DKK' } }),
  entityField(defs.extra, 's1', { jsonValue: { b: 1, a: [1, 2] } }),
  entityField(defs.bays, 's1', { numberValue: 4 }),
  entityField(defs.open, 's1', null),
];

const plan = (desired: Record<string, unknown>, fields: EntityField[] | undefined = live, entityId: string | { $ref: string } = 's1') =>
  planCustomFieldValues({ entityType: 'SITE', entityId, desired, live: fields, fieldTypes: types });

describe('planCustomFieldValues', () => {
  it('finds no difference when both sides say the same in their own forms', () => {
    const same = {
      manager: 'Mette',
      tags: ['a', 'b'],
      opened: '2024-05-01',
      budget: { amount: 1000 },
      extra: { a: [1, 2], b: 1 },
      bays: 4,
      open: null,
    };
    expect(plan(same)).toBeUndefined();
    expect(plan({ opened: new Date('2024-05-01T00:00:00Z') })).toBeUndefined();
  });

  it('sends one request with only the differing keys, sorted, typed by definition', () => {
    const result = plan({ tags: ['c', 'a'], manager: 'Jonas', bays: 4, open: true, opened: '2024-06-01' });
    expect(result?.request).toEqual({
      family: 'custom-fields',
      method: 'POST',
      idempotent: true,
      path: '/api/custom-fields/v1/set-values/',
      body: {
        entityId: 's1',
        entityType: 'SITE',
        values: [
          { definitionKey: 'manager', value: { stringValue: 'Jonas' } },
          { definitionKey: 'open', value: { booleanValue: true } },
          { definitionKey: 'opened', value: { dateValue: '2024-06-01' } },
          { definitionKey: 'tags', value: { stringArrayValue: ['c', 'a'] } },
        ],
      },
    });
    expect(result?.before).toEqual({ bays: 4, manager: 'Mette', open: null, opened: '2024-05-01', tags: ['a', 'b'] });
    expect(result?.after).toEqual({ bays: 4, manager: 'Jonas', open: true, opened: '2024-06-01', tags: ['a', 'c'] });
  });

  it('clears with null, and leaves keys the manifest does not mention alone', () => {
    const result = plan({ manager: null });
    expect(result?.request.body).toEqual({ entityId: 's1', entityType: 'SITE', values: [{ definitionKey: 'manager', value: null }] });
    expect(Object.keys(result?.after ?? {})).toEqual(['manager']);
  });

  it('wraps money with the definition currency and JSON as given', () => {
    const result = plan({ budget: { amount: 2500 }, extra: { x: true } });
    expect(result?.request.body).toMatchObject({
      values: [
        { definitionKey: 'budget', value: { monetaryValue: { amount: 2500, currency: 'DKK' } } },
        { definitionKey: 'extra', value: { jsonValue: { x: true } } },
      ],
    });
  });

  it('targets an entity created in the same apply by reference, comparing against no values', () => {
    const entityId = { $ref: 'Depot/aarhus' };
    const result = planCustomFieldValues({ entityType: 'SITE', entityId, desired: { manager: 'Mette', open: null }, live: undefined, fieldTypes: types });
    expect(result?.request.body).toEqual({
      entityId: { $ref: 'Depot/aarhus' },
      entityType: 'SITE',
      values: [{ definitionKey: 'manager', value: { stringValue: 'Mette' } }],
    });
  });

  it('skips keys of unknown type (validation reported them)', () => {
    expect(plan({ nonsense: 'x' })).toBeUndefined();
    const odd = new Map([['weird', { type: 'FUTURE_TYPE' }]]);
    expect(planCustomFieldValues({ entityType: 'SITE', entityId: 's1', desired: { weird: 1 }, live: [], fieldTypes: odd })).toBeUndefined();
  });

  it('treats an empty multi-select list like no value', () => {
    const fields = [entityField(defs.tags, 's1', { stringArrayValue: [] })];
    expect(plan({ tags: [] }, fields)).toBeUndefined();
    expect(plan({ tags: null }, fields)).toBeUndefined();
  });
});

describe('fieldTypesOf', () => {
  it('prefers desired definitions, then live ones, then standard fields', () => {
    const manifest = { kind: 'CustomFieldDefinition' as const, key: 'tags', entityType: 'SITE' as const, type: 'DROPDOWN' as const, title: 'Tags', options: ['a'], multiSelect: false };
    const live = { ...emptyLiveState(), definitions: [defs.tags, defs.bays] };
    const result = fieldTypesOf(desiredState(desiredObject(manifest)), live);
    expect(result.get('tags')).toEqual({ type: 'DROPDOWN', multiSelect: false });
    expect(result.get('bays')).toEqual({ type: 'NUMBER', multiSelect: false });
    expect(result.get('rfidTags')).toEqual({ type: 'STRING', multiSelect: true });
    expect(result.get('purchaseDate')?.type).toBe('DATE');
  });
});
