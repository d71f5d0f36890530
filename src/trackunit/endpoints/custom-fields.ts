/**
 * Custom Fields API (../shared/trackunit-api/custom-fields.md) — the one place in the client where its
 * paths and request/response shapes live. [documented]: the paths under /api/custom-fields/v1 (with the
 * trailing slash of `set-values/`), the field types, entity types ACCOUNT/ASSET/GROUP/SITE, scope types,
 * the definition fields of the SDK manifest and the change rules (type and key immutable, removed
 * dropdown options need a replacement). [assumed]: every JSON body (the OpenAPI file could not be read) —
 * the Definition and Value objects, the typed value wrapper's member names other than `stringValue`, the
 * write-only `valueReplacements` map, the page of `{definition, value}` served by GET values, set-values'
 * body and upsert semantics, the CUSTOMER / RENTAL_CONTRACT entity spellings, owner names. The schemas
 * below state what the client relies on and `tug doctor` checks them.
 */
import type { Json } from '../../core/canonical.js';
import type { IdRef, PlannedRequest } from '../../core/plan.js';
import type { TrackunitClient } from '../client.js';
import { listAll } from '../paginate.js';
import { s, type Schema } from '../shapes.js';
import type { EndpointProbe } from './common.js';

export const CUSTOM_FIELDS_PATH = '/api/custom-fields/v1';
export const DEFINITIONS_PATH = `${CUSTOM_FIELDS_PATH}/definitions`;
export const VALUES_PATH = `${CUSTOM_FIELDS_PATH}/values`;
/** [documented] with the trailing slash. */
export const SET_VALUES_PATH = `${CUSTOM_FIELDS_PATH}/set-values/`;

/** [documented] SDK manifest spellings. Unknown values from the server are tolerated. */
export type FieldType =
  | 'BOOLEAN'
  | 'DATE'
  | 'DROPDOWN'
  | 'EMAIL'
  | 'NUMBER'
  | 'PHONE_NUMBER'
  | 'STRING'
  | 'WEB_ADDRESS'
  | 'JSON'
  | 'MONETARY'
  | (string & {});

/** ACCOUNT, ASSET, GROUP, SITE [documented]; CUSTOMER, RENTAL_CONTRACT spellings [assumed]. */
export type EntityType = 'ACCOUNT' | 'ASSET' | 'GROUP' | 'SITE' | 'CUSTOMER' | 'RENTAL_CONTRACT' | (string & {});

/** [documented] value sharing; default ACCOUNT. */
export type ScopeType = 'ACCOUNT' | 'ACCOUNT_WRITE_GLOBAL_READ' | 'GLOBAL' | (string & {});

/** Owner concept [documented]; names [assumed]. Only ACCOUNT-owned definitions can be changed. */
export type DefinitionOwner = 'ACCOUNT' | 'APP' | 'TRACKUNIT' | (string & {});

export interface Translation {
  language: string;
  title: string;
  description?: string | null;
}

export interface Definition {
  id: string;
  key: string | null;
  entityType: EntityType;
  type: FieldType;
  owner: DefinitionOwner;
  /** Resolved for the caller's language (English, else the first translation). */
  title: string | null;
  description: string | null;
  translations: Translation[];
  uiVisible: boolean;
  uiEditable: boolean;
  scopeType: ScopeType;
  minimum: number | null;
  maximum: number | null;
  unitSi: string | null;
  unitUs: string | null;
  isInteger: boolean | null;
  minimumLength: number | null;
  maximumLength: number | null;
  pattern: string | null;
  allValues: string[] | null;
  multiSelect: boolean | null;
  currency: string | null;
  createdAt?: string;
  updatedAt?: string;
}

/** Create (type, entityType required) or PATCH (partial; type, key and entityType cannot change). */
export interface DefinitionInput {
  key?: string;
  type?: FieldType;
  entityType?: EntityType;
  title?: string | null;
  description?: string | null;
  translations?: Translation[] | null;
  uiVisible?: boolean | null;
  uiEditable?: boolean | null;
  scopeType?: ScopeType | null;
  minimum?: number | null;
  maximum?: number | null;
  unitSi?: string | null;
  unitUs?: string | null;
  isInteger?: boolean | null;
  minimumLength?: number | null;
  maximumLength?: number | null;
  pattern?: string | null;
  allValues?: string[] | null;
  multiSelect?: boolean | null;
  currency?: string | null;
  /** Write-only: removed dropdown option → a remaining option; values holding it are moved over. */
  valueReplacements?: Record<string, string>;
}

export interface MonetaryAmount {
  amount: number;
  currency: string;
}

/** The typed wrapper: exactly one member, chosen by the definition's type (and multiSelect). */
export type FieldValue =
  | { stringValue: string } // STRING, EMAIL, PHONE_NUMBER, WEB_ADDRESS, single DROPDOWN
  | { stringArrayValue: string[] } // multi-select DROPDOWN
  | { numberValue: number }
  | { booleanValue: boolean }
  | { dateValue: string } // YYYY-MM-DD
  | { monetaryValue: MonetaryAmount }
  | { jsonValue: unknown };

/** A stored value of one field on one entity. */
export interface ValueRecord {
  id: string;
  definitionId: string;
  definitionKey: string | null;
  entityId: string;
  entityType: EntityType;
  /** Null when a definition change cleared it. */
  value: FieldValue | null;
  /** [documented] name: the value before a definition change altered or cleared it. */
  lastIncompatibleValue: FieldValue | null;
  valueEditable?: boolean;
}

/** One field available on an entity (GET values doubles as field discovery), with its value if set. */
export interface EntityField {
  definition: Definition;
  value: ValueRecord | null;
}

/** One item of a set-values call: a definition by key or by id; value null clears the field. */
export interface SetValueItem {
  definitionKey?: string;
  definitionId?: string;
  value: FieldValue | null;
}

export interface SetValuesResult {
  entityId: string;
  entityType: EntityType;
  /** Every value of the entity after the call. */
  values: ValueRecord[];
}

export interface CreateValueInput {
  definitionId: string;
  entityId: string;
  entityType?: EntityType;
  value: FieldValue;
}

export interface DefinitionFilter {
  entityType?: EntityType | EntityType[];
  key?: string | string[];
}

export const definitionSchema: Schema = s.object(
  {
    id: s.uuid,
    key: s.nullableString,
    entityType: s.string,
    type: s.string,
    owner: s.string,
    title: s.nullableString,
    allValues: s.nullable(s.array(s.string)),
    multiSelect: { type: ['boolean', 'null'] },
    currency: s.nullableString,
  },
  ['id', 'key', 'entityType', 'type', 'owner'],
);

export const fieldValueSchema: Schema = {
  ...s.object(
    {
      stringValue: s.string,
      stringArrayValue: s.array(s.string),
      numberValue: s.number,
      booleanValue: s.boolean,
      dateValue: s.string,
      monetaryValue: s.object({ amount: s.number, currency: s.string }),
      // JSON fields [documented type, SDK guide]: any JSON value, object or not.
      jsonValue: {},
    },
    [],
  ),
  minProperties: 1,
};

export const valueSchema: Schema = s.object(
  {
    id: s.uuid,
    definitionId: s.uuid,
    definitionKey: s.nullableString,
    entityId: s.string,
    entityType: s.string,
    value: s.nullable(fieldValueSchema),
    lastIncompatibleValue: s.nullable(fieldValueSchema),
  },
  ['id', 'definitionId', 'entityId', 'value'],
);

export const entityFieldSchema: Schema = s.object({ definition: definitionSchema, value: s.nullable(valueSchema) });

const byId = (base: string, id: string) => `${base}/${encodeURIComponent(id)}`;

/** The Custom Fields API's writes, as data: apply sends them (src/apply/execute-change.ts). */
export const customFieldWrites = {
  /** Needs IrisX. Not idempotent: apply finds what an ambiguous create made by its key. */
  createDefinition: (body: Json): PlannedRequest => ({ family: 'custom-fields', method: 'POST', path: DEFINITIONS_PATH, body, idempotent: false }),
  /** Partial update; removing dropdown options needs `valueReplacements` for each removed option. */
  updateDefinition: (id: string, patch: Json): PlannedRequest => ({ family: 'custom-fields', method: 'PATCH', path: byId(DEFINITIONS_PATH, id), body: patch, idempotent: true }),
  /**
   * Upsert several fields of one entity in one call (null clears a field): writing the same values twice
   * leaves the same state, so it is idempotent. `entityId` may be an IdRef to an object the apply creates.
   */
  setValues: (entityType: EntityType, entityId: string | IdRef, values: Json[]): PlannedRequest => ({
    family: 'custom-fields',
    method: 'POST',
    path: SET_VALUES_PATH,
    body: { entityId: entityId as Json, entityType, values },
    idempotent: true,
  }),
};

export function customFieldsApi(client: TrackunitClient) {
  const family = 'custom-fields' as const;
  const listDefinitions = (filter: DefinitionFilter = {}) =>
    listAll<Definition>(client, { family, path: DEFINITIONS_PATH, query: { entityType: filter.entityType, key: filter.key } });
  return {
    /** Every definition the account can read (own, app and Trackunit standard fields), all pages. */
    listDefinitions,
    /** Keys are unique within the account, so at most one definition matches. */
    findDefinitionByKey: async (key: string): Promise<Definition | undefined> => (await listDefinitions({ key })).find((d) => d.key === key),
    /** Every field available on the entity with its value or null; entityType may be omitted for stored entities. */
    getValues: (entityId: string, entityType?: EntityType) => listAll<EntityField>(client, { family, path: VALUES_PATH, query: { entityId, entityType } }),
  };
}

/** `tug doctor`: one harmless read and the shape it must have. */
export const customFieldsProbe: EndpointProbe = {
  api: 'Custom Fields',
  family: 'custom-fields',
  entitlement: 'Custom Fields API (definition writes need IrisX)',
  read: async (client) => (await client.request({ family: 'custom-fields', method: 'GET', path: DEFINITIONS_PATH, query: { size: 5 } })).body,
  schema: s.page(definitionSchema),
};
