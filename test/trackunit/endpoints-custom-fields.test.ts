import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import type { TrackunitClient } from '../../src/trackunit/client.js';
import {
  customFieldsApi,
  customFieldsProbe,
  definitionSchema,
  entityFieldSchema,
  valueSchema,
  type EntityField,
} from '../../src/trackunit/endpoints/custom-fields.js';
import { ApiError } from '../../src/trackunit/errors.js';
import { shapeMismatches } from '../../src/trackunit/shapes.js';
import { start } from '../sandbox/helpers.js';
import { sandboxClient } from './helpers.js';
import { apiWrites } from '../support/api-writes.js';

const fieldOf = (fields: EntityField[], key: string) => fields.find((f) => f.definition.key === key);

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('customFieldsApi against the sandbox', () => {
  let sandbox: SandboxHandle;
  let client: TrackunitClient;
  let api: ReturnType<typeof customFieldsApi>;
  let writes: ReturnType<typeof apiWrites>['customFields'];
  let assetId: string;

  beforeAll(async () => {
    sandbox = await start({ seed: 'demo' });
    client = sandboxClient(sandbox);
    api = customFieldsApi(client);
    writes = apiWrites(client).customFields;
    assetId = [...sandbox.store.assets.values()].find((a) => a.owned)!.id;
  });
  afterAll(async () => {
    await client.close();
    await sandbox.close();
  });

  it('creates, finds, updates and removes a definition', async () => {
    const created = await writes.createDefinition({ key: 'costCentre', type: 'STRING', entityType: 'ASSET', title: 'Cost centre', maximumLength: 20 });
    expect(created).toMatchObject({ key: 'costCentre', type: 'STRING', entityType: 'ASSET', owner: 'ACCOUNT', title: 'Cost centre', maximumLength: 20 });
    expect(shapeMismatches(definitionSchema, created)).toEqual([]);

    expect(await api.findDefinitionByKey('costCentre')).toEqual(created);
    const listed = await api.listDefinitions({ entityType: 'ASSET', key: ['costCentre'] });
    expect(listed.map((d) => d.id)).toEqual([created.id]);

    const updated = await writes.updateDefinition(created.id, { title: 'Cost center', uiEditable: false });
    expect(updated).toMatchObject({ id: created.id, title: 'Cost center', uiEditable: false, maximumLength: 20 });
    expect((await api.findDefinitionByKey('costCentre'))?.title).toBe('Cost center');

    await writes.removeDefinition(created.id);
    expect(await api.findDefinitionByKey('costCentre')).toBeUndefined();
    expect(sandbox.store.definitions.has(created.id)).toBe(false);
  });

  it('lists Trackunit standard fields next to the account’s own, filtered by entity type', async () => {
    const assetDefs = await api.listDefinitions({ entityType: 'ASSET' });
    expect(assetDefs.find((d) => d.key === 'licensePlate')).toMatchObject({ type: 'STRING', owner: 'TRACKUNIT' });
    expect(assetDefs.every((d) => d.entityType === 'ASSET')).toBe(true);
    expect(assetDefs.flatMap((d) => shapeMismatches(definitionSchema, d))).toEqual([]);
    expect(await api.findDefinitionByKey('no-such-key')).toBeUndefined();
  });

  it('surfaces a duplicate key and a type change as ApiErrors with Trackunit’s code', async () => {
    const def = await writes.createDefinition({ key: 'fleetNo', type: 'NUMBER', entityType: 'ASSET', title: 'Fleet number', isInteger: true });
    const duplicate = await apiError(writes.createDefinition({ key: 'fleetNo', type: 'STRING', entityType: 'ASSET', title: 'Again' }));
    expect(duplicate).toMatchObject({ status: 400, apiCode: 'definition_key_already_exists', attempts: 1, family: 'custom-fields' });

    const typeChange = await apiError(writes.updateDefinition(def.id, { type: 'STRING' }));
    expect(typeChange).toMatchObject({ status: 400, apiCode: 'type_immutable', method: 'PATCH', path: `/api/custom-fields/v1/definitions/${def.id}` });
    expect((await api.findDefinitionByKey('fleetNo'))?.type).toBe('NUMBER');

    const violation = await apiError(writes.createDefinition({ key: 'noOptions', type: 'DROPDOWN', entityType: 'ASSET', title: 'No options' }));
    expect(violation.apiCode).toBe('constraint_violation');
    expect(violation.violations.map((v) => v.field)).toContain('allValues');

    const standard = (await api.findDefinitionByKey('licensePlate'))!;
    expect(await apiError(writes.removeDefinition(standard.id))).toMatchObject({ status: 403 });
  });

  it('removes a dropdown option with valueReplacements, moving stored values over', async () => {
    const def = await writes.createDefinition({
      key: 'serviceTier',
      type: 'DROPDOWN',
      entityType: 'ASSET',
      title: 'Service tier',
      allValues: ['Bronze', 'Silver', 'Gold'],
    });
    await writes.setValues(assetId, 'ASSET', [{ definitionKey: 'serviceTier', value: { stringValue: 'Silver' } }]);

    const missing = await apiError(writes.updateDefinition(def.id, { allValues: ['Bronze', 'Gold'] }));
    expect(missing).toMatchObject({ status: 400, apiCode: 'missing_value_replacement' });

    const updated = await writes.updateDefinition(def.id, { allValues: ['Bronze', 'Gold'], valueReplacements: { Silver: 'Gold' } });
    expect(updated.allValues).toEqual(['Bronze', 'Gold']);
    expect(updated).not.toHaveProperty('valueReplacements');

    const field = fieldOf(await api.getValues(assetId, 'ASSET'), 'serviceTier');
    expect(field?.value).toMatchObject({ value: { stringValue: 'Gold' }, lastIncompatibleValue: { stringValue: 'Silver' } });
  });

  it('round-trips setValues and getValues on an asset, by key and by id, and clears with null', async () => {
    const hours = await writes.createDefinition({ key: 'serviceInterval', type: 'NUMBER', entityType: 'ASSET', title: 'Service interval', unitSi: 'h' });
    await writes.createDefinition({ key: 'gpsChecked', type: 'BOOLEAN', entityType: 'ASSET', title: 'GPS checked' });
    await writes.createDefinition({ key: 'insuredValue', type: 'MONETARY', entityType: 'ASSET', title: 'Insured value', currency: 'DKK' });
    const options = ['Bucket', 'Breaker', 'Auger'];
    await writes.createDefinition({ key: 'attachments', type: 'DROPDOWN', entityType: 'ASSET', title: 'Attachments', allValues: options, multiSelect: true });

    const result = await writes.setValues(assetId, 'ASSET', [
      { definitionId: hours.id, value: { numberValue: 500 } },
      { definitionKey: 'gpsChecked', value: { booleanValue: true } },
      { definitionKey: 'insuredValue', value: { monetaryValue: { amount: 250000, currency: 'DKK' } } },
      { definitionKey: 'attachments', value: { stringArrayValue: ['Bucket', 'Auger'] } },
      { definitionKey: 'warrantyEndDate', value: { dateValue: '2027-06-30' } },
      { definitionKey: 'licensePlate', value: { stringValue: 'AB 12 345' } },
    ]);
    expect(result.entityId).toBe(assetId);
    expect(result.entityType).toBe('ASSET');
    expect(result.values.flatMap((v) => shapeMismatches(valueSchema, v))).toEqual([]);

    const fields = await api.getValues(assetId, 'ASSET');
    expect(fields.flatMap((f) => shapeMismatches(entityFieldSchema, f))).toEqual([]);
    // Discovery: every ASSET field is listed, set or not.
    expect(fields.length).toBe([...sandbox.store.definitions.values()].filter((d) => d.entityType === 'ASSET').length);
    expect(fieldOf(fields, 'serviceInterval')?.value).toMatchObject({
      definitionId: hours.id,
      definitionKey: 'serviceInterval',
      entityId: assetId,
      value: { numberValue: 500 },
    });
    expect(fieldOf(fields, 'gpsChecked')?.value?.value).toEqual({ booleanValue: true });
    expect(fieldOf(fields, 'insuredValue')?.value?.value).toEqual({ monetaryValue: { amount: 250000, currency: 'DKK' } });
    expect(fieldOf(fields, 'attachments')?.value?.value).toEqual({ stringArrayValue: ['Bucket', 'Auger'] });
    expect(fieldOf(fields, 'warrantyEndDate')?.value?.value).toEqual({ dateValue: '2027-06-30' });
    expect(fieldOf(fields, 'licensePlate')?.value?.value).toEqual({ stringValue: 'AB 12 345' });
    expect(fieldOf(fields, 'engineModel')?.value).toBeNull();
    // entityType is optional when the entity is stored.
    expect((await api.getValues(assetId)).length).toBe(fields.length);

    const before = sandbox.store.summary();
    const again = await writes.setValues(assetId, 'ASSET', [{ definitionId: hours.id, value: { numberValue: 500 } }]);
    expect(sandbox.store.summary()).toEqual(before);
    expect(again.values.find((v) => v.definitionId === hours.id)?.value).toEqual({ numberValue: 500 });

    await writes.setValues(assetId, 'ASSET', [{ definitionKey: 'gpsChecked', value: null }]);
    expect(fieldOf(await api.getValues(assetId, 'ASSET'), 'gpsChecked')?.value).toBeNull();
    expect(sandbox.store.summary().values).toBe(before.values! - 1);

    const unknownKey = await apiError(writes.setValues(assetId, 'ASSET', [{ definitionKey: 'nope', value: { stringValue: 'x' } }]));
    expect(unknownKey).toMatchObject({ status: 400, apiCode: 'definition_not_found' });
  });

  it('JSON fields: a definition and values of any JSON kind round-trip and pass the shape checks', async () => {
    const def = await writes.createDefinition({ key: 'telemetryConfig', type: 'JSON', entityType: 'ASSET', title: 'Telemetry config' });
    expect(shapeMismatches(definitionSchema, def)).toEqual([]);
    expect((await api.listDefinitions({ key: 'telemetryConfig' }))[0]).toMatchObject({ id: def.id, type: 'JSON' });
    for (const jsonValue of [{ b: [1, { c: null }], a: 'x' }, [1, 'two'], 'text', 3.5, false]) {
      await writes.setValues(assetId, 'ASSET', [{ definitionKey: 'telemetryConfig', value: { jsonValue } }]);
      const field = fieldOf(await api.getValues(assetId, 'ASSET'), 'telemetryConfig');
      expect(field?.value?.value).toEqual({ jsonValue });
      expect(shapeMismatches(entityFieldSchema, field)).toEqual([]);
    }
  });

  it('creates, updates and removes a single value', async () => {
    const def = await writes.createDefinition({ key: 'yardSlot', type: 'STRING', entityType: 'ASSET', title: 'Yard slot', pattern: '[A-Z]-\\d+' });
    const created = await writes.createValue({ definitionId: def.id, entityId: assetId, entityType: 'ASSET', value: { stringValue: 'B-12' } });
    expect(created).toMatchObject({ definitionId: def.id, definitionKey: 'yardSlot', entityId: assetId, entityType: 'ASSET', value: { stringValue: 'B-12' } });
    expect(shapeMismatches(valueSchema, created)).toEqual([]);

    const twice = await apiError(writes.createValue({ definitionId: def.id, entityId: assetId, value: { stringValue: 'B-13' } }));
    expect(twice).toMatchObject({ status: 400, apiCode: 'value_already_exists' });

    const updated = await writes.updateValue(created.id, { stringValue: 'C-7' });
    expect(updated).toMatchObject({ id: created.id, value: { stringValue: 'C-7' } });
    const invalid = await apiError(writes.updateValue(created.id, { stringValue: 'not a slot' }));
    expect(invalid).toMatchObject({ status: 400, apiCode: 'constraint_violation' });

    await writes.removeValue(created.id);
    expect(sandbox.store.values.has(created.id)).toBe(false);
    expect(await apiError(writes.removeValue(created.id))).toMatchObject({ status: 404, apiCode: 'value_not_found' });
  });

  it('probe: the doctor read matches its schema', async () => {
    expect(customFieldsProbe).toMatchObject({ family: 'custom-fields', entitlement: 'Custom Fields API (definition writes need IrisX)' });
    const sample = (await customFieldsProbe.read(client)) as { size: number; content: unknown[] };
    expect(sample.size).toBe(5);
    expect(sample.content.length).toBeGreaterThan(0);
    expect(shapeMismatches(customFieldsProbe.schema, sample)).toEqual([]);
  });
});
