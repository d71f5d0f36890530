/**
 * Request-body validation for the sandbox, producing Trackunit's documented constraint-violation
 * messages ("value '' was rejected: must not be empty"). A Checker collects every violation of a body
 * and throws once, so a client sees all problems in one 400 — as a Spring service does.
 */
import { constraintViolation, type Violation } from './http.js';

export type Json = Record<string, unknown>;

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isDateTime(value: unknown): value is string {
  return typeof value === 'string' && ISO_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));
}

export function isDate(value: unknown): value is string {
  return typeof value === 'string' && ISO_DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shown(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export class Checker {
  readonly violations: Violation[] = [];

  constructor(private readonly prefix = '') {}

  /** A checker for a nested object whose violations land in this one with a dotted field path. */
  nested(field: string): Checker {
    const child = new Checker(this.field(field));
    // Share the same violation list.
    (child as { violations: Violation[] }).violations = this.violations;
    return child;
  }

  field(name: string): string {
    return this.prefix ? `${this.prefix}.${name}` : name;
  }

  reject(field: string, value: unknown, reason: string): void {
    this.violations.push({ field: this.field(field), message: `value '${shown(value)}' was rejected: ${reason}` });
  }

  /** Present and a body: the top-level body must be a JSON object. */
  requireObjectBody(body: unknown): Json {
    if (!isObject(body)) {
      this.violations.push({ field: this.prefix || 'body', message: 'request body must be a JSON object' });
      this.throwIfAny();
    }
    return body as Json;
  }

  string(obj: Json, key: string, opts: { required?: boolean; nonEmpty?: boolean; maxLength?: number; nullable?: boolean } = {}): void {
    const value = obj[key];
    if (value === undefined || (value === null && opts.nullable !== false && !opts.required)) {
      if (opts.required) this.reject(key, value ?? '', 'must not be null');
      return;
    }
    if (typeof value !== 'string') return this.reject(key, value, 'must be a string');
    if ((opts.nonEmpty || opts.required) && value.trim() === '') return this.reject(key, value, 'must not be empty');
    if (opts.maxLength !== undefined && value.length > opts.maxLength) {
      this.reject(key, value, `size must be between 0 and ${opts.maxLength}`);
    }
  }

  enumValue(obj: Json, key: string, allowed: readonly string[], opts: { required?: boolean } = {}): void {
    const value = obj[key];
    if (value === undefined || value === null) {
      if (opts.required) this.reject(key, value ?? '', 'must not be null');
      return;
    }
    if (typeof value !== 'string' || !allowed.includes(value)) {
      this.reject(key, value, `must be one of ${allowed.join(', ')}`);
    }
  }

  dateTime(obj: Json, key: string, opts: { required?: boolean } = {}): void {
    const value = obj[key];
    if (value === undefined || value === null) {
      if (opts.required) this.reject(key, value ?? '', 'must not be null');
      return;
    }
    if (!isDateTime(value)) this.reject(key, value, 'must be an ISO 8601 date-time');
  }

  number(obj: Json, key: string, opts: { required?: boolean; min?: number; max?: number; integer?: boolean } = {}): void {
    const value = obj[key];
    if (value === undefined || value === null) {
      if (opts.required) this.reject(key, value ?? '', 'must not be null');
      return;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) return this.reject(key, value, 'must be a number');
    if (opts.integer && !Number.isInteger(value)) return this.reject(key, value, 'must be an integer');
    if (opts.min !== undefined && value < opts.min) this.reject(key, value, `must be greater than or equal to ${opts.min}`);
    if (opts.max !== undefined && value > opts.max) this.reject(key, value, `must be less than or equal to ${opts.max}`);
  }

  boolean(obj: Json, key: string, opts: { required?: boolean } = {}): void {
    const value = obj[key];
    if (value === undefined || value === null) {
      if (opts.required) this.reject(key, value ?? '', 'must not be null');
      return;
    }
    if (typeof value !== 'boolean') this.reject(key, value, 'must be a boolean');
  }

  object(obj: Json, key: string, opts: { required?: boolean } = {}): Json | undefined {
    const value = obj[key];
    if (value === undefined || value === null) {
      if (opts.required) this.reject(key, value ?? '', 'must not be null');
      return undefined;
    }
    if (!isObject(value)) {
      this.reject(key, value, 'must be an object');
      return undefined;
    }
    return value;
  }

  array(obj: Json, key: string, opts: { required?: boolean } = {}): unknown[] | undefined {
    const value = obj[key];
    if (value === undefined || value === null) {
      if (opts.required) this.reject(key, value ?? '', 'must not be null');
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.reject(key, value, 'must be an array');
      return undefined;
    }
    return value;
  }

  get hasViolations(): boolean {
    return this.violations.length > 0;
  }

  throwIfAny(): void {
    if (this.violations.length > 0) throw constraintViolation(this.violations);
  }
}

/** Copy the listed keys that are present (not undefined) in `source` onto `target`. */
export function assignPresent<T extends object>(target: T, source: Json, keys: readonly string[]): void {
  for (const key of keys) {
    if (source[key] !== undefined) (target as Record<string, unknown>)[key] = source[key];
  }
}
