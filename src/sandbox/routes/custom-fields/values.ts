/**
 * Custom field values: field discovery + values of one entity, create/update/delete one value, and the
 * keyed bulk upsert `set-values`. The Value wire shape lives in `valueView`.
 * The [documented]/[assumed] list lives in ../custom-fields.ts.
 */
import { badRequest, created, noContent, notFound, ok, type RequestContext } from '../../http.js';
import { paginate, parsePageRequest } from '../../pagination.js';
import type { RouteDef } from '../../router.js';
import type { DefinitionRecord, FieldValue, Store, ValueRecord } from '../../store.js';
import { Checker, isObject, type Json } from '../../validate.js';
import { isoNow } from '../../clock.js';
import { CF_BASE, ENTITY_TYPES, VALUE_READ_SCOPES, VALUE_WRITE_SCOPES, cfRoute, requireValueWriteScope, resolveEntity } from './common.js';
import { definitionView } from './definitions.js';
import { checkValue } from './value-rules.js';

const VALUES = `${CF_BASE}/values`;
const SET_VALUES = `${CF_BASE}/set-values`;

/** [assumed] `valueEditable` is always true: every value the sandbox stores belongs to the caller's account. */
export function valueView(store: Store, record: ValueRecord): Record<string, unknown> {
  return {
    id: record.id,
    definitionId: record.definitionId,
    definitionKey: store.definitions.get(record.definitionId)?.key ?? null,
    entityId: record.entityId,
    entityType: record.entityType,
    value: record.value,
    lastIncompatibleValue: record.lastIncompatibleValue,
    valueEditable: true,
  };
}

function findValue(store: Store, definitionId: string, entityId: string): ValueRecord | undefined {
  for (const record of store.values.values()) {
    if (record.definitionId === definitionId && record.entityId === entityId) return record;
  }
  return undefined;
}

function entityValues(store: Store, entityId: string): ValueRecord[] {
  return [...store.values.values()].filter((v) => v.entityId === entityId);
}

function getValue(ctx: RequestContext): { record: ValueRecord; def: DefinitionRecord } {
  const record = ctx.store.values.get(ctx.params.valueId ?? '');
  const def = record && ctx.store.definitions.get(record.definitionId);
  if (!record || !def) throw notFound('value_not_found', `Custom field value ${ctx.params.valueId} not found`);
  return { record, def };
}

function newValue(ctx: RequestContext, def: DefinitionRecord, entityId: string, value: FieldValue): ValueRecord {
  const now = isoNow(ctx.clock);
  const record: ValueRecord = {
    id: ctx.store.newId(),
    definitionId: def.id,
    entityId,
    entityType: def.entityType,
    value,
    lastIncompatibleValue: null,
    createdAt: now,
    updatedAt: now,
  };
  ctx.store.values.set(record.id, record);
  return record;
}

/** [assumed] Writing a fresh, valid value resolves an earlier incompatibility: lastIncompatibleValue is cleared. */
function overwrite(ctx: RequestContext, record: ValueRecord, value: FieldValue): void {
  record.value = value;
  record.lastIncompatibleValue = null;
  record.updatedAt = isoNow(ctx.clock);
}

/** `entityId` (required) and `entityType` (optional) from a query or a body, as violations. */
function checkEntityRef(c: Checker, source: Json): void {
  c.string(source, 'entityId', { required: true });
  c.enumValue(source, 'entityType', ENTITY_TYPES);
}

function listValues(ctx: RequestContext) {
  const request = parsePageRequest(ctx.query, []);
  const query = { entityId: ctx.query.get('entityId') ?? undefined, entityType: ctx.query.get('entityType') ?? undefined };
  const c = new Checker();
  checkEntityRef(c, query);
  c.throwIfAny();
  const entity = resolveEntity(ctx.store, query.entityId as string, query.entityType);
  const items = [...ctx.store.definitions.values()]
    .filter((d) => d.entityType === entity.entityType)
    .map((d) => {
      const record = findValue(ctx.store, d.id, entity.entityId);
      return { definition: definitionView(d), value: record ? valueView(ctx.store, record) : null };
    });
  return ok(paginate(items, request));
}

function createValue(ctx: RequestContext) {
  const c = new Checker();
  const body = c.requireObjectBody(ctx.body);
  c.string(body, 'definitionId', { required: true });
  checkEntityRef(c, body);
  c.throwIfAny();
  const def = ctx.store.definitions.get(body.definitionId as string);
  if (!def) throw badRequest('definition_not_found', `Custom field definition ${String(body.definitionId)} not found`);
  requireValueWriteScope(ctx, def.entityType);
  if (body.entityType !== undefined && body.entityType !== null && body.entityType !== def.entityType) {
    c.reject('entityType', body.entityType, `the definition is for ${def.entityType} entities`);
    c.throwIfAny();
  }
  const entity = resolveEntity(ctx.store, body.entityId as string, def.entityType);
  const value = checkValue(c, def, body);
  c.throwIfAny();
  if (findValue(ctx.store, def.id, entity.entityId)) {
    throw badRequest('value_already_exists', `${def.entityType} ${entity.entityId} already has a value for definition ${def.id}; update it instead`);
  }
  const record = newValue(ctx, def, entity.entityId, value as FieldValue);
  ctx.store.changed();
  return created(valueView(ctx.store, record));
}

interface SetItem {
  def: DefinitionRecord;
  value: FieldValue | null;
}

/** Find the definition each item names; every unknown key or id is reported in one 400 `definition_not_found`. */
function resolveItems(store: Store, items: Json[]): DefinitionRecord[] {
  const unknown: string[] = [];
  const defs = items.map((item) => {
    const byId = typeof item.definitionId === 'string' ? store.definitions.get(item.definitionId) : undefined;
    const byKey = typeof item.definitionKey === 'string' ? [...store.definitions.values()].find((d) => d.key === item.definitionKey) : undefined;
    if (typeof item.definitionId === 'string' && !byId) unknown.push(`id ${item.definitionId}`);
    if (typeof item.definitionKey === 'string' && !byKey) unknown.push(`key ${item.definitionKey}`);
    return (byId ?? byKey) as DefinitionRecord;
  });
  if (unknown.length > 0) throw badRequest('definition_not_found', `Custom field definition(s) not found: ${unknown.join(', ')}`);
  return defs;
}

/** Validate every item before anything is written (all-or-nothing). */
function checkSetItems(store: Store, c: Checker, list: unknown[], entityType: string): SetItem[] {
  list.forEach((item, i) => {
    if (!isObject(item)) return c.reject(`values[${i}]`, item, 'must be an object {definitionKey | definitionId, value}');
    const n = c.nested(`values[${i}]`);
    n.string(item, 'definitionKey', { nonEmpty: true });
    n.string(item, 'definitionId', { nonEmpty: true });
    if (typeof item.definitionKey !== 'string' && typeof item.definitionId !== 'string') n.reject('definitionKey', '', 'definitionKey or definitionId is required');
    if (item.value === undefined) n.reject('value', '', 'is required; send null to clear the value');
  });
  c.throwIfAny();
  const items = list as Json[];
  const defs = resolveItems(store, items);
  const seen = new Set<string>();
  const result = items.map((item, i): SetItem => {
    const n = c.nested(`values[${i}]`);
    const def = defs[i] as DefinitionRecord;
    if (typeof item.definitionKey === 'string' && typeof item.definitionId === 'string' && def.key !== item.definitionKey) {
      n.reject('definitionKey', item.definitionKey, `does not match definition ${def.id} (key ${String(def.key)})`);
    }
    if (def.entityType !== entityType) n.reject('definitionKey', item.definitionKey ?? item.definitionId, `the definition is for ${def.entityType}, not ${entityType}`);
    if (seen.has(def.id)) n.reject('definitionKey', item.definitionKey ?? item.definitionId, 'the same field appears twice');
    seen.add(def.id);
    if (item.value === null) return { def, value: null };
    return { def, value: checkValue(n, def, item) ?? null };
  });
  c.throwIfAny();
  return result;
}

function setValues(ctx: RequestContext) {
  const c = new Checker();
  const body = c.requireObjectBody(ctx.body);
  checkEntityRef(c, body);
  const list = c.array(body, 'values', { required: true });
  c.throwIfAny();
  const entity = resolveEntity(ctx.store, body.entityId as string, (body.entityType as string | null | undefined) ?? undefined);
  requireValueWriteScope(ctx, entity.entityType);
  const items = checkSetItems(ctx.store, c, list as unknown[], entity.entityType);
  for (const { def, value } of items) {
    const existing = findValue(ctx.store, def.id, entity.entityId);
    if (value === null) {
      if (existing) ctx.store.values.delete(existing.id);
    } else if (existing) overwrite(ctx, existing, value);
    else newValue(ctx, def, entity.entityId, value);
  }
  ctx.store.changed();
  return ok({ ...entity, values: entityValues(ctx.store, entity.entityId).map((v) => valueView(ctx.store, v)) });
}

export function valueRoutes(): RouteDef[] {
  const read = { write: false, scopes: VALUE_READ_SCOPES };
  const write = { write: true, scopes: VALUE_WRITE_SCOPES };
  return [
    cfRoute({ name: 'custom-fields.values.list', method: 'GET', path: VALUES, ...read, handler: listValues }),
    cfRoute({ name: 'custom-fields.values.create', method: 'POST', path: VALUES, ...write, handler: createValue }),
    cfRoute({
      name: 'custom-fields.values.update',
      method: 'PATCH',
      path: `${VALUES}/:valueId`,
      ...write,
      handler: (ctx) => {
        const { record, def } = getValue(ctx);
        requireValueWriteScope(ctx, def.entityType);
        const c = new Checker();
        const value = checkValue(c, def, c.requireObjectBody(ctx.body));
        c.throwIfAny();
        overwrite(ctx, record, value as FieldValue);
        ctx.store.changed();
        return ok(valueView(ctx.store, record));
      },
    }),
    cfRoute({
      name: 'custom-fields.values.delete',
      method: 'DELETE',
      path: `${VALUES}/:valueId`,
      ...write,
      handler: (ctx) => {
        const { record, def } = getValue(ctx);
        requireValueWriteScope(ctx, def.entityType);
        ctx.store.values.delete(record.id);
        ctx.store.changed();
        return noContent();
      },
    }),
    cfRoute({ name: 'custom-fields.values.set', method: 'POST', path: SET_VALUES, ...write, handler: setValues }),
  ];
}
