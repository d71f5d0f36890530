/**
 * The rules a custom field value must follow for its definition (a CustomFieldDefinition manifest or a
 * Trackunit standard field), and everything a value breaks of them.
 */
import type { FieldType } from '../../kinds/common.js';
import { closest } from '../suggest.js';
import type { PathSegment } from '../yaml.js';
import { PLAIN_DATE, isRealDate } from './manifest-dates.js';

/** How a YAML value reads in a message: `a string`, `a list`, `null`… */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value === 'number' ? 'a number' : typeof value === 'boolean' ? 'a boolean' : `a ${typeof value}`;
}

/** What a value is checked against: a CustomFieldDefinition manifest or a standard field. */
export interface FieldRules {
  key: string;
  type: FieldType;
  options?: readonly string[];
  multiSelect?: boolean;
  /** Multi-value text (standard fields qrCodeIdentifiers, rfidTags). */
  list?: boolean;
  minimum?: number;
  maximum?: number;
  isInteger?: boolean;
  minimumLength?: number;
  maximumLength?: number;
  pattern?: string;
  currency?: string;
}

/** One thing wrong with a value; `path` is relative to the value. */
export interface ValueProblem {
  path: PathSegment[];
  message: string;
  target?: 'key' | 'value';
}

/**
 * The pattern as a full-match JS RegExp (Unicode mode), or why it does not compile. Trackunit uses RE2,
 * whose syntax is close to a subset of this; a pattern that compiles here may still be refused there.
 */
export function compilePattern(pattern: string): RegExp | string {
  try {
    new RegExp(pattern, 'u');
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch (error) {
    const message = (error as Error).message;
    return /: ([^:]+)$/.exec(message)?.[1] ?? message;
  }
}

const E164 = /^\+[1-9]\d{1,14}$/;
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const STRING_TYPES: readonly FieldType[] = ['STRING', 'EMAIL', 'PHONE_NUMBER', 'WEB_ADDRESS', 'DATE', 'DROPDOWN'];

function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function range(name: string, n: number, min: number | undefined, max: number | undefined): string | undefined {
  if (min !== undefined && n < min) return `${name} must be at least ${min}, got ${n}`;
  if (max !== undefined && n > max) return `${name} must be at most ${max}, got ${n}`;
  return undefined;
}

function stringProblem(rules: FieldRules, name: string, s: string): string | undefined {
  switch (rules.type) {
    case 'DATE':
      if (!PLAIN_DATE.test(s)) return `${name} must be a date as YYYY-MM-DD, got "${s}"`;
      return isRealDate(s) ? undefined : `${name} must be a real date, got "${s}"`;
    case 'EMAIL':
      return EMAIL.test(s) ? undefined : `${name} must be an e-mail address, got "${s}"`;
    case 'PHONE_NUMBER':
      return E164.test(s) ? undefined : `${name} must be a phone number in E.164 form like +4512345678, got "${s}"`;
    case 'WEB_ADDRESS':
      return isWebAddress(s) ? undefined : `${name} must be an http(s) URL, got "${s}"`;
    case 'DROPDOWN': {
      if (!rules.options || rules.options.includes(s)) return undefined;
      const hint = closest(s, rules.options);
      return `${name} has no option "${s}"${hint ? ` (did you mean "${hint}"?)` : ''}; options: ${rules.options.join(', ')}`;
    }
    default: {
      const length = [...s].length;
      if (rules.minimumLength !== undefined && length < rules.minimumLength) return `${name} must be at least ${rules.minimumLength} characters long, got ${length}`;
      if (rules.maximumLength !== undefined && length > rules.maximumLength) return `${name} must be at most ${rules.maximumLength} characters long, got ${length}`;
      const regex = rules.pattern === undefined ? undefined : compilePattern(rules.pattern);
      return regex instanceof RegExp && !regex.test(s) ? `${name} must match the pattern ${rules.pattern}, got "${s}"` : undefined;
    }
  }
}

function monetaryProblems(rules: FieldRules, name: string, value: unknown, path: PathSegment[]): ValueProblem[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ path, message: `${name} (MONETARY) must be a mapping {amount, currency}, not ${kindOf(value)}` }];
  }
  const out: ValueProblem[] = [];
  const money = value as Record<string, unknown>;
  for (const key of Object.keys(money).filter((k) => k !== 'amount' && k !== 'currency')) {
    const hint = closest(key, ['amount', 'currency']);
    out.push({ path: [...path, key], target: 'key', message: `unknown field "${key}" in ${name}${hint ? ` (did you mean "${hint}"?)` : ''}; a MONETARY value is {amount, currency}` });
  }
  for (const key of ['amount', 'currency'].filter((k) => !(k in money))) out.push({ path, message: `${name} is missing "${key}"` });
  const { amount, currency } = money;
  if ('amount' in money && typeof amount !== 'number') out.push({ path: [...path, 'amount'], message: `amount of ${name} must be a number, not ${kindOf(amount)}` });
  if (typeof amount === 'number') {
    const problem = range(`amount of ${name}`, amount, rules.minimum, rules.maximum);
    if (problem) out.push({ path: [...path, 'amount'], message: problem });
  }
  if ('currency' in money && typeof currency !== 'string') out.push({ path: [...path, 'currency'], message: `currency of ${name} must be a string, not ${kindOf(currency)}` });
  else if (typeof currency === 'string' && rules.currency !== undefined && currency !== rules.currency) {
    out.push({ path: [...path, 'currency'], message: `${name} is in ${rules.currency}, not ${currency}` });
  }
  return out;
}

function scalarProblems(rules: FieldRules, name: string, value: unknown, path: PathSegment[]): ValueProblem[] {
  const wrongType = (expected: string, hint = ''): ValueProblem[] => [{ path, message: `${name} (${rules.type}) must be ${expected}, not ${kindOf(value)}${hint}` }];
  switch (rules.type) {
    case 'JSON':
      return [];
    case 'BOOLEAN':
      return typeof value === 'boolean' ? [] : wrongType('true or false');
    case 'NUMBER': {
      if (typeof value !== 'number') return wrongType('a number');
      const problems = [range(name, value, rules.minimum, rules.maximum), rules.isInteger && !Number.isInteger(value) ? `${name} must be a whole number, got ${value}` : undefined];
      return problems.filter((m): m is string => m !== undefined).map((message) => ({ path, message }));
    }
    case 'MONETARY':
      return monetaryProblems(rules, name, value, path);
    default: {
      if (!STRING_TYPES.includes(rules.type)) return [];
      if (typeof value !== 'string') return wrongType('a string', typeof value === 'number' || typeof value === 'boolean' ? ' (put it in quotes)' : '');
      const problem = stringProblem(rules, name, value);
      return problem ? [{ path, message: problem }] : [];
    }
  }
}

/** Everything wrong with one custom field value (null clears a value and is always allowed). */
export function valueProblems(rules: FieldRules, value: unknown): ValueProblem[] {
  if (value === null) return [];
  const name = `custom field "${rules.key}"`;
  const many = rules.list === true || (rules.type === 'DROPDOWN' && rules.multiSelect === true);
  if (!many) return scalarProblems(rules, name, value, []);
  const label = rules.list ? `${rules.type} list` : 'multi-select DROPDOWN';
  if (!Array.isArray(value)) return [{ path: [], message: `${name} (${label}) must be a list, not ${kindOf(value)}` }];
  const repeated = value.findIndex((item, i) => value.indexOf(item) !== i);
  // The API refuses a list that names the same option twice; say so here rather than at apply.
  const duplicate: ValueProblem[] = repeated >= 0 ? [{ path: [repeated], message: `${name} lists ${JSON.stringify(value[repeated])} twice` }] : [];
  return [...value.flatMap((item, i) => scalarProblems(rules, name, item, [i])), ...duplicate];
}
