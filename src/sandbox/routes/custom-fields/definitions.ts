/**
 * Custom field definitions: list, create, update (with the documented change rules, see
 * definition-changes.ts) and delete. The Definition wire shape lives in `definitionView`.
 * The [documented]/[assumed] list lives in ../custom-fields.ts.
 */
import { badRequest, created, forbidden, noContent, notFound, ok, type RequestContext } from '../../http.js';
import { multiValue, paginate, parsePageRequest } from '../../pagination.js';
import type { RouteDef } from '../../router.js';
import { blankDefinition, type DefinitionRecord, type Store, type TranslationRecord } from '../../store.js';
import { Checker, isObject, type Json } from '../../validate.js';
import { isoNow } from '../../clock.js';
import { CF_BASE, DEFINITION_READ_SCOPES, DEFINITION_WRITE_SCOPES, ENTITY_TYPES, FIELD_TYPES, SCOPE_TYPES, cfRoute } from './common.js';
import { checkImmutable, checkReplacementShape, dropdownReplacements, migrateValues } from './definition-changes.js';

const BASE = `${CF_BASE}/definitions`;
const SORTABLE = ['key', 'title', 'type', 'entityType', 'owner', 'createdAt', 'updatedAt'];
const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const CURRENCY = /^[A-Z]{3}$/;
const LANGUAGE = /^[a-z]{2}(-[A-Za-z]{2})?$/;

/** Fields that only make sense for some types ([documented] per the SDK manifest table). */
const TYPE_FIELDS: Record<string, readonly string[]> = {
  minimum: ['NUMBER', 'MONETARY'],
  maximum: ['NUMBER', 'MONETARY'],
  unitSi: ['NUMBER'],
  unitUs: ['NUMBER'],
  isInteger: ['NUMBER'],
  minimumLength: ['STRING'],
  maximumLength: ['STRING'],
  pattern: ['STRING'],
  allValues: ['DROPDOWN'],
  multiSelect: ['DROPDOWN'],
  valueReplacements: ['DROPDOWN'],
  currency: ['MONETARY'],
};
const SETTABLE = ['title', 'description', 'uiVisible', 'uiEditable', 'scopeType', ...Object.keys(TYPE_FIELDS).filter((f) => f !== 'valueReplacements')];

function resolvedText(def: DefinitionRecord, field: 'title' | 'description'): string | null {
  if (def[field]) return def[field];
  const pick = def.translations.find((t) => t.language === 'en') ?? def.translations[0];
  return pick?.[field] ?? null;
}

/** [assumed] Every field is always present; fields that do not apply to the type are null. */
export function definitionView(def: DefinitionRecord): Record<string, unknown> {
  return {
    id: def.id,
    key: def.key,
    entityType: def.entityType,
    type: def.type,
    owner: def.owner,
    title: resolvedText(def, 'title'),
    description: resolvedText(def, 'description'),
    translations: def.translations,
    uiVisible: def.uiVisible,
    uiEditable: def.uiEditable,
    scopeType: def.scopeType,
    minimum: def.minimum,
    maximum: def.maximum,
    unitSi: def.unitSi,
    unitUs: def.unitUs,
    isInteger: def.type === 'NUMBER' ? (def.isInteger ?? false) : null,
    minimumLength: def.minimumLength,
    maximumLength: def.maximumLength,
    pattern: def.pattern,
    allValues: def.allValues,
    multiSelect: def.type === 'DROPDOWN' ? (def.multiSelect ?? false) : null,
    currency: def.currency,
    createdAt: def.createdAt,
    updatedAt: def.updatedAt,
  };
}

function checkTranslations(c: Checker, body: Json): void {
  const list = c.array(body, 'translations');
  if (!list) return;
  const seen = new Set<string>();
  list.forEach((item, i) => {
    const field = `translations[${i}]`;
    if (!isObject(item)) return c.reject(field, item, 'must be an object {language, title, description}');
    const t = c.nested(field);
    t.string(item, 'language', { required: true });
    if (typeof item.language === 'string' && !LANGUAGE.test(item.language)) t.reject('language', item.language, 'must be a language code such as en or da');
    t.string(item, 'title', { required: true, maxLength: 255 });
    t.string(item, 'description', { maxLength: 2000 });
    if (typeof item.language === 'string' && seen.has(item.language)) t.reject('language', item.language, 'appears twice');
    if (typeof item.language === 'string') seen.add(item.language);
  });
}

function checkTypeSpecific(c: Checker, body: Json, type: string): void {
  for (const [field, types] of Object.entries(TYPE_FIELDS)) {
    const v = body[field];
    if (v !== undefined && v !== null && !types.includes(type)) c.reject(field, v, `only allowed for type ${types.join(' or ')}, not ${type}`);
  }
  c.number(body, 'minimum');
  c.number(body, 'maximum');
  c.string(body, 'unitSi', { nonEmpty: true, maxLength: 50 });
  c.string(body, 'unitUs', { nonEmpty: true, maxLength: 50 });
  c.boolean(body, 'isInteger');
  c.number(body, 'minimumLength', { integer: true, min: 0 });
  c.number(body, 'maximumLength', { integer: true, min: 1 });
  c.string(body, 'pattern', { nonEmpty: true, maxLength: 1000 });
  if (typeof body.pattern === 'string') {
    try {
      new RegExp(body.pattern);
    } catch (e) {
      c.reject('pattern', body.pattern, `must be a valid regular expression (${(e as Error).message})`);
    }
  }
  c.boolean(body, 'multiSelect');
  c.string(body, 'currency');
  if (typeof body.currency === 'string' && !CURRENCY.test(body.currency)) c.reject('currency', body.currency, 'must be an ISO 4217 code of three upper-case letters');
  const options = c.array(body, 'allValues');
  if (options) {
    if (options.length === 0) c.reject('allValues', options, 'must not be empty');
    if (options.some((o) => typeof o !== 'string' || o.trim() === '')) c.reject('allValues', options, 'must contain non-empty strings only');
    else if (new Set(options).size !== options.length) c.reject('allValues', options, 'must not contain duplicates');
  }
  checkReplacementShape(c, body);
}

/** Rules over the definition as it will be after this request (stored fields overlaid by the body). */
function checkMerged(c: Checker, body: Json, existing: DefinitionRecord | undefined, type: string): void {
  const get = (field: string): unknown => (body[field] !== undefined ? body[field] : (existing?.[field as keyof DefinitionRecord] ?? null));
  const num = (field: string) => (typeof get(field) === 'number' ? (get(field) as number) : null);
  const [min, max] = [num('minimum'), num('maximum')];
  if (min !== null && max !== null && min > max) c.reject('minimum', min, `must not be greater than maximum ${max}`);
  const [minLen, maxLen] = [num('minimumLength'), num('maximumLength')];
  if (minLen !== null && maxLen !== null && minLen > maxLen) c.reject('minimumLength', minLen, `must not be greater than maximumLength ${maxLen}`);
  if (get('isInteger') === true && (get('unitSi') || get('unitUs'))) c.reject('isInteger', true, 'cannot be combined with unitSi or unitUs');
  if (type === 'DROPDOWN' && get('allValues') === null) c.reject('allValues', '', 'must not be null for a DROPDOWN field');
  if (type === 'MONETARY' && get('currency') === null) c.reject('currency', '', 'must not be null for a MONETARY field');
  const translations = get('translations');
  if (!get('title') && !(Array.isArray(translations) && translations.length > 0)) {
    c.reject('title', get('title') ?? '', 'a title or at least one translation is required');
  }
}

function checkDefinitionBody(body: Json, existing: DefinitionRecord | undefined): void {
  const c = new Checker();
  if (!existing) {
    c.enumValue(body, 'type', FIELD_TYPES, { required: true });
    c.enumValue(body, 'entityType', ENTITY_TYPES, { required: true });
    c.string(body, 'key', { nonEmpty: true, maxLength: 255 });
    if (typeof body.key === 'string' && body.key !== '' && !KEY_PATTERN.test(body.key)) {
      c.reject('key', body.key, 'must start with a letter or digit and contain only letters, digits, _ . -');
    }
  }
  c.string(body, 'title', { maxLength: 255 });
  c.string(body, 'description', { maxLength: 2000 });
  checkTranslations(c, body);
  c.boolean(body, 'uiVisible');
  c.boolean(body, 'uiEditable');
  c.enumValue(body, 'scopeType', SCOPE_TYPES);
  const type = existing?.type ?? body.type;
  if (typeof type === 'string' && (FIELD_TYPES as readonly string[]).includes(type)) {
    checkTypeSpecific(c, body, type);
    checkMerged(c, body, existing, type);
  }
  c.throwIfAny();
}

function checkKeyUnique(store: Store, key: unknown): void {
  if (typeof key !== 'string') return;
  for (const def of store.definitions.values()) {
    if (def.key === key) throw badRequest('definition_key_already_exists', `A custom field definition with key ${key} already exists in the account`);
  }
}

function applyFields(def: DefinitionRecord, body: Json): void {
  for (const field of SETTABLE) {
    if (body[field] !== undefined) (def as unknown as Record<string, unknown>)[field] = body[field];
  }
  if (body.translations !== undefined) {
    def.translations = ((body.translations as Json[] | null) ?? []).map((t): TranslationRecord => ({
      language: t.language as string,
      title: t.title as string,
      description: (t.description as string | null | undefined) ?? null,
    }));
  }
  // Defaults: null means "back to the default" for the booleans.
  def.uiVisible ??= true;
  def.uiEditable ??= true;
  def.scopeType ??= 'ACCOUNT';
  if (def.type === 'DROPDOWN') def.multiSelect ??= false;
  if (def.type === 'NUMBER') def.isInteger ??= false;
}

function getDefinition(ctx: RequestContext): DefinitionRecord {
  const def = ctx.store.definitions.get(ctx.params.definitionId ?? '');
  if (!def) throw notFound('definition_not_found', `Custom field definition ${ctx.params.definitionId} not found`);
  return def;
}

/** [documented] Definitions owned by an app or by Trackunit can be read, not changed, by the account. */
function getOwnDefinition(ctx: RequestContext): DefinitionRecord {
  const def = getDefinition(ctx);
  if (def.owner !== 'ACCOUNT') {
    throw forbidden(`Custom field definition ${def.id} is owned by ${def.owner} and cannot be changed or deleted by the account`);
  }
  return def;
}

function newDefinition(ctx: RequestContext, body: Json): DefinitionRecord {
  const now = isoNow(ctx.clock);
  const def = blankDefinition(
    {
      id: ctx.store.newId(),
      key: typeof body.key === 'string' && body.key !== '' ? body.key : null,
      entityType: body.entityType as string,
      type: body.type as string,
      owner: 'ACCOUNT',
    },
    now,
  );
  applyFields(def, body);
  return def;
}

export function definitionRoutes(): RouteDef[] {
  const read = { write: false, scopes: DEFINITION_READ_SCOPES };
  const write = { write: true, scopes: DEFINITION_WRITE_SCOPES, irisx: true };
  return [
    cfRoute({
      name: 'custom-fields.definitions.list',
      method: 'GET',
      path: BASE,
      ...read,
      handler: (ctx) => {
        const request = parsePageRequest(ctx.query, SORTABLE);
        const entityTypes = multiValue(ctx.query, 'entityType');
        const keys = multiValue(ctx.query, 'key');
        const items = [...ctx.store.definitions.values()]
          .filter((d) => entityTypes.length === 0 || entityTypes.includes(d.entityType))
          .filter((d) => keys.length === 0 || (d.key !== null && keys.includes(d.key)))
          .map(definitionView);
        return ok(paginate(items, request));
      },
    }),
    cfRoute({
      name: 'custom-fields.definitions.create',
      method: 'POST',
      path: BASE,
      ...write,
      handler: (ctx) => {
        const body = new Checker().requireObjectBody(ctx.body);
        checkDefinitionBody(body, undefined);
        checkKeyUnique(ctx.store, body.key);
        const def = newDefinition(ctx, body);
        ctx.store.definitions.set(def.id, def);
        ctx.store.changed();
        return created(definitionView(def));
      },
    }),
    cfRoute({
      name: 'custom-fields.definitions.update',
      method: 'PATCH',
      path: `${BASE}/:definitionId`,
      ...write,
      handler: (ctx) => {
        const def = getOwnDefinition(ctx);
        const body = new Checker().requireObjectBody(ctx.body);
        checkImmutable(def, body);
        checkDefinitionBody(body, def);
        const replacements = dropdownReplacements(new Checker(), def, body);
        applyFields(def, body);
        def.updatedAt = isoNow(ctx.clock);
        migrateValues(ctx.store, def, replacements, def.updatedAt);
        ctx.store.changed();
        return ok(definitionView(def));
      },
    }),
    cfRoute({
      name: 'custom-fields.definitions.delete',
      method: 'DELETE',
      path: `${BASE}/:definitionId`,
      ...write,
      handler: (ctx) => {
        const def = getOwnDefinition(ctx);
        ctx.store.definitions.delete(def.id);
        for (const [id, value] of ctx.store.values) if (value.definitionId === def.id) ctx.store.values.delete(id);
        ctx.store.changed();
        return noContent();
      },
    }),
  ];
}
