/**
 * Response-shape checks: each endpoint module declares, as JSON Schema, the fields the client relies on.
 * `tug doctor` validates a sample of every response against them, so a user pointing tug at the real
 * Trackunit learns in one command whether our [assumed] shapes hold. Extra fields are always fine.
 */
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';

export type Schema = Record<string, unknown>;

const ajv = new Ajv({ allErrors: true, strict: false });
(addFormats as unknown as (a: Ajv) => void)(ajv);
const compiled = new WeakMap<Schema, ReturnType<Ajv['compile']>>();

function describe(error: ErrorObject): string {
  const at = error.instancePath === '' ? '(root)' : error.instancePath.slice(1).replace(/\//g, '.');
  if (error.keyword === 'required') return `${at === '(root)' ? '' : `${at}.`}${String(error.params.missingProperty)}: missing`;
  return `${at}: ${error.message ?? error.keyword}`;
}

/** Mismatches between `sample` and `schema`, as `field.path: problem` strings; empty when it matches. */
export function shapeMismatches(schema: Schema, sample: unknown): string[] {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(sample)) return [];
  return [...new Set((validate.errors ?? []).map(describe))];
}

/** JSON Schema helpers so endpoint modules stay short and readable. */
export const s = {
  string: { type: 'string' } as Schema,
  nullableString: { type: ['string', 'null'] } as Schema,
  number: { type: 'number' } as Schema,
  nullableNumber: { type: ['number', 'null'] } as Schema,
  boolean: { type: 'boolean' } as Schema,
  dateTime: { type: 'string', format: 'date-time' } as Schema,
  nullableDateTime: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] } as Schema,
  uuid: { type: 'string', format: 'uuid' } as Schema,
  nullableUuid: { anyOf: [{ type: 'string', format: 'uuid' }, { type: 'null' }] } as Schema,
  object: (properties: Record<string, Schema>, required: string[] = Object.keys(properties)): Schema => ({ type: 'object', properties, required }),
  nullable: (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] }),
  array: (items: Schema): Schema => ({ type: 'array', items }),
  /** The documented page object around `item`. */
  page: (item: Schema): Schema => ({
    type: 'object',
    required: ['totalPages', 'totalElements', 'number', 'size', 'numberOfElements', 'content'],
    properties: {
      totalPages: { type: 'integer' },
      totalElements: { type: 'integer' },
      number: { type: 'integer' },
      size: { type: 'integer' },
      numberOfElements: { type: 'integer' },
      content: { type: 'array', items: item },
    },
  }),
};
