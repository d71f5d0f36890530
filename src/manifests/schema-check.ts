/**
 * Schema validation of manifest documents with ajv (JSON Schema 2020-12, allErrors), each error mapped
 * back to the exact key or value in the YAML source. The published schemas in schemas/ are the rules;
 * this module only turns ajv's findings into readable, positioned diagnostics.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Diagnostic } from './diagnostics.js';
import { positionOf, type ParsedDocument, type PathSegment } from './yaml.js';
import { closest } from './suggest.js';

export const SCHEMA_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));
const SCHEMA_ID_BASE = 'https://trackunit-gitops.dev/schemas/';

let ajv: Ajv2020 | undefined;
const validators = new Map<string, ValidateFunction>();

function instance(): Ajv2020 {
  if (ajv) return ajv;
  ajv = new Ajv2020({ allErrors: true, verbose: true, strict: false, allowUnionTypes: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  for (const file of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json'))) {
    ajv.addSchema(JSON.parse(readFileSync(`${SCHEMA_DIR}${file}`, 'utf8')) as object);
  }
  return ajv;
}

/** The compiled validator of a schema file in schemas/ (cached). */
export function validatorFor(schemaFile: string): ValidateFunction {
  let validate = validators.get(schemaFile);
  if (!validate) {
    validate = instance().getSchema(`${SCHEMA_ID_BASE}${schemaFile}`);
    if (!validate) throw new Error(`schema ${schemaFile} is not in ${SCHEMA_DIR}`);
    validators.set(schemaFile, validate);
  }
  return validate;
}

function pathOf(instancePath: string): PathSegment[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function shown(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
}

function fieldName(path: PathSegment[]): string {
  const last = path.at(-1);
  return typeof last === 'string' ? `"${last}"` : 'value';
}

/** Messages written for people; ajv's defaults are for schema authors. */
function describe(error: ErrorObject, path: PathSegment[]): { message: string; path: PathSegment[]; target: 'key' | 'value' } {
  const params = error.params as Record<string, unknown>;
  const schema = error.parentSchema as Record<string, unknown> | undefined;
  const written = typeof schema?.errorMessage === 'string' ? schema.errorMessage : undefined;
  // A schema's "must be …" message names no field: say which one ("startDate" must be …).
  const custom = written !== undefined && /^must\b/.test(written) ? `${fieldName(path)} ${written}` : written;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys((schema?.properties as object | undefined) ?? {});
      const hint = closest(key, known);
      return { message: `unknown field "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}`, path: [...path, key], target: 'key' };
    }
    case 'required':
      return { message: custom ?? `missing required field "${String(params.missingProperty)}"`, path, target: 'key' };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const hint = typeof error.data === 'string' ? closest(error.data, allowed) : undefined;
      return { message: `${shown(error.data)} is not one of ${allowed.join(', ')}${hint ? ` (did you mean "${hint}"?)` : ''}`, path, target: 'value' };
    }
    case 'const':
      return { message: `${fieldName(path)} must be ${shown(params.allowedValue)}`, path, target: 'value' };
    case 'type':
      return { message: `${fieldName(path)} must be ${String(params.type).replace(',', ' or ')}, not ${Array.isArray(error.data) ? 'a list' : error.data === null ? 'null' : typeof error.data === 'object' ? 'a mapping' : typeof error.data}`, path, target: 'value' };
    case 'format':
      return { message: custom ?? `${shown(error.data)} is not a valid ${String(params.format)}`, path, target: 'value' };
    default:
      return { message: custom ?? `${fieldName(path)} ${error.message ?? 'is invalid'}`, path, target: 'value' };
  }
}

/**
 * ajv with allErrors reports every failing branch of anyOf/oneOf/if-then. Keep what helps: drop `if`
 * wrappers, and replace a failed anyOf/oneOf with its own message (the schema's `errorMessage` or a
 * generic one) instead of listing each branch's failures.
 */
function relevant(errors: ErrorObject[]): ErrorObject[] {
  const combinators = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  return errors.filter((e) => {
    if (e.keyword === 'if') return false;
    return !combinators.some((c) => c !== e && e.schemaPath.startsWith(`${c.schemaPath}/`));
  });
}

/** Validate one document against a schema file; diagnostics point at the offending key or value. */
export function schemaDiagnostics(parsed: ParsedDocument, schemaFile: string, subject: string | undefined): Diagnostic[] {
  const validate = validatorFor(schemaFile);
  if (validate(parsed.data)) return [];
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const error of relevant(validate.errors ?? [])) {
    const { message, path, target } = describe(error, pathOf(error.instancePath));
    const { line, col } = positionOf(parsed, path, target);
    const key = `${line}:${col}:${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ file: parsed.file, line, col, message, code: 'schema', severity: 'error', ...(subject ? { subject } : {}) });
  }
  return out;
}
