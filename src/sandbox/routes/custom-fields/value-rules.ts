/**
 * Validation of a custom-field value against its definition. A value is a typed wrapper with exactly one
 * member chosen by the definition's type ([documented] `{value: {stringValue}}` in the SDK; the other
 * member names are [assumed]). Violations are reported as `value.<member>`.
 */
import type { DefinitionRecord, FieldValue } from '../../store.js';
import { isDate, isObject, type Checker, type Json } from '../../validate.js';

export const VALUE_MEMBERS = ['stringValue', 'stringArrayValue', 'numberValue', 'booleanValue', 'dateValue', 'monetaryValue', 'jsonValue'] as const;

/** The one member a definition's values carry. */
export function valueMember(def: Pick<DefinitionRecord, 'type' | 'multiSelect'>): (typeof VALUE_MEMBERS)[number] {
  switch (def.type) {
    case 'BOOLEAN':
      return 'booleanValue';
    case 'DATE':
      return 'dateValue';
    case 'NUMBER':
      return 'numberValue';
    case 'MONETARY':
      return 'monetaryValue';
    case 'JSON':
      return 'jsonValue';
    case 'DROPDOWN':
      return def.multiSelect ? 'stringArrayValue' : 'stringValue';
    default:
      return 'stringValue'; // STRING, EMAIL, PHONE_NUMBER, WEB_ADDRESS
  }
}

/** [documented] E.164 (the service validates with libphonenumber; the sandbox checks the E.164 form only). */
const E164 = /^\+[1-9]\d{1,14}$/;
/** [assumed] A pragmatic e-mail check: one @, no spaces, a dot in the domain. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * [assumed] `pattern` must match the whole string (Spring's @Pattern semantics). The real service uses RE2;
 * the sandbox compiles the pattern as a JavaScript RegExp, so RE2-only syntax behaves differently.
 */
export function matchesPattern(pattern: string, value: string): boolean {
  return new RegExp(`^(?:${pattern})$`).test(value);
}

export function inRange(def: Pick<DefinitionRecord, 'minimum' | 'maximum'>, n: number): boolean {
  return (def.minimum === null || n >= def.minimum) && (def.maximum === null || n <= def.maximum);
}

function rangeText(def: DefinitionRecord): string {
  if (def.minimum !== null && def.maximum !== null) return `must be between ${def.minimum} and ${def.maximum}`;
  if (def.minimum !== null) return `must be greater than or equal to ${def.minimum}`;
  return `must be less than or equal to ${def.maximum}`;
}

function checkString(c: Checker, def: DefinitionRecord, field: string, v: string): void {
  switch (def.type) {
    case 'EMAIL':
      if (!EMAIL.test(v)) c.reject(field, v, 'must be a well-formed email address');
      return;
    case 'PHONE_NUMBER':
      if (!E164.test(v)) c.reject(field, v, 'must be a phone number in E.164 format, e.g. +4512345678');
      return;
    case 'WEB_ADDRESS':
      if (!isWebAddress(v)) c.reject(field, v, 'must be an http or https URL');
      return;
    case 'DROPDOWN':
      if (!(def.allValues ?? []).includes(v)) c.reject(field, v, `must be one of ${(def.allValues ?? []).join(', ')}`);
      return;
    default: {
      const min = def.minimumLength ?? 0;
      const max = def.maximumLength;
      if (v.length < min || (max !== null && v.length > max)) c.reject(field, v, `size must be between ${min} and ${max ?? 'unlimited'}`);
      if (def.pattern !== null && !matchesPattern(def.pattern, v)) c.reject(field, v, `must match "${def.pattern}"`);
    }
  }
}

function checkMember(c: Checker, def: DefinitionRecord, member: string, field: string, v: unknown): void {
  switch (member) {
    case 'booleanValue':
      if (typeof v !== 'boolean') c.reject(field, v, 'must be a boolean');
      return;
    case 'dateValue':
      if (!isDate(v)) c.reject(field, v, 'must be a date YYYY-MM-DD');
      return;
    case 'numberValue':
      if (typeof v !== 'number' || !Number.isFinite(v)) return c.reject(field, v, 'must be a number');
      if (def.isInteger && !Number.isInteger(v)) c.reject(field, v, 'must be an integer');
      if (!inRange(def, v)) c.reject(field, v, rangeText(def));
      return;
    case 'monetaryValue': {
      if (!isObject(v)) return c.reject(field, v, 'must be an object {amount, currency}');
      if (typeof v.amount !== 'number' || !Number.isFinite(v.amount)) c.reject(`${field}.amount`, v.amount ?? '', 'must be a number');
      else if (!inRange(def, v.amount)) c.reject(`${field}.amount`, v.amount, rangeText(def));
      if (v.currency !== def.currency) c.reject(`${field}.currency`, v.currency ?? '', `must be ${def.currency} (the definition's currency)`);
      return;
    }
    case 'stringArrayValue': {
      if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) return c.reject(field, v, 'must be an array of strings');
      const bad = (v as string[]).filter((s) => !(def.allValues ?? []).includes(s));
      if (bad.length > 0) c.reject(field, v, `${bad.join(', ')} not among the options ${(def.allValues ?? []).join(', ')}`);
      if (new Set(v).size !== v.length) c.reject(field, v, 'must not contain duplicates');
      return;
    }
    case 'jsonValue':
      return; // any JSON
    default:
      if (typeof v !== 'string') return c.reject(field, v, 'must be a string');
      checkString(c, def, field, v);
  }
}

/**
 * Check one value wrapper (`body[key]`, e.g. `value`) for `def`; violations land in `c`. Returns the stored
 * form (only the expected member) when valid, undefined otherwise.
 */
export function checkValue(c: Checker, def: DefinitionRecord, body: Json, key = 'value'): FieldValue | undefined {
  const before = c.violations.length;
  const wrapper = c.object(body, key, { required: true });
  if (!wrapper) return undefined;
  const member = valueMember(def);
  for (const other of Object.keys(wrapper)) {
    if (other !== member && wrapper[other] !== undefined && wrapper[other] !== null) {
      c.reject(`${key}.${other}`, wrapper[other], `not allowed for a ${def.multiSelect ? 'multi-select ' : ''}${def.type} field; use ${member}`);
    }
  }
  const v = wrapper[member];
  if (v === undefined || v === null) c.reject(`${key}.${member}`, '', 'must not be null');
  else checkMember(c, def, member, `${key}.${member}`, v);
  if (c.violations.length > before) return undefined;
  return { [member]: member === 'monetaryValue' ? { amount: (v as Json).amount, currency: (v as Json).currency } : v };
}
