/**
 * The changed fields of a change as a reader should see them. The Plan's RFC 6902 `patch` stays as it is
 * (apply and the plan file need it), but its list paths are positional and would misname entries (see
 * list-match.ts), so every list the patch touches is diffed again here, by identity, from the change's
 * `before` and `after`. Fields outside lists are the patch's own operations. Lines follow the patch's
 * order, which is the planner's field order (`before`/`after` in a Plan have their keys sorted).
 * Shared by the text and Markdown renderers so both say the same thing; pure.
 *
 *   - contacts["Ops desk" (Night shift)]              an entry removed (its DELETE)
 *   + contacts["Jens Holm"]: {"email":…,"name":…}      an entry added (its POST)
 *   ~ contacts["Mette Hansen"].email: "a" → "b"         a field of a kept entry
 *   + allValues["Crane"]                               a text entry is its own identity: no value
 *   ~ allValues (order): ["A","B"] → ["B","A"]          the same entries in another order
 *
 * Lists without identity stay positional (`area.coordinates[0][3]`). A reference to another object (a
 * contract item's `contract`, a contract's `customer`) whose externalReference changes is one line,
 * `contractItems["K-1"].contract: "K-0042" → "K-0057"`: the item moves to the other contract, whose own
 * fields are its business, not this item's.
 */
import type { Operation } from 'fast-json-patch';
import { canonicalJson, type Json } from '../core/canonical.js';
import type { Change } from '../core/plan.js';
import { matchList } from './list-match.js';

/** One changed field: `+` added, `-` removed, `~` changed. A value absent here is not shown. */
export interface FieldDiff {
  sign: '+' | '-' | '~';
  /** Readable path, e.g. `address.city`, `contacts["Jens Holm"].email`, `area.coordinates[0][3]`. */
  path: string;
  from?: Json;
  to?: Json;
}

/** A step of a path: an object member, a list position, or a list entry named by its identity label. */
export type PathStep = { key: string } | { index: number } | { label: string };

type JsonObject = { [key: string]: Json };

/** Fields holding a reference to another object, which Trackunit resolves by its externalReference. */
const REFERENCE_FIELDS: ReadonlySet<string> = new Set(['contract', 'customer']);

const isObject = (value: Json | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `address.city`, `items[0]`, `contacts["Jens Holm"]`, `customFields["a/b c"]`; the root is "(whole object)". */
export function pathText(steps: readonly PathStep[]): string {
  if (steps.length === 0) return '(whole object)';
  let out = '';
  for (const step of steps) {
    if ('index' in step) out += `[${step.index}]`;
    else if ('label' in step) out += `[${step.label}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(step.key)) out += out === '' ? step.key : `.${step.key}`;
    else out += `[${JSON.stringify(step.key)}]`;
  }
  return out;
}

/** Every changed field of a change, in the order of its patch, lists matched by identity. */
export function diffChange(change: Pick<Change, 'before' | 'after' | 'patch'>): FieldDiff[] {
  const before = change.before ?? {};
  const after = change.after ?? {};
  const out: FieldDiff[] = [];
  const listsDone = new Set<string>();
  for (const op of change.patch) {
    const steps = pointerSteps(op.path, before, after);
    const list = listPrefix(before, after, steps);
    if (list === undefined) {
      out.push(operationDiff(op, before, steps));
      continue;
    }
    const prefix = steps.slice(0, list);
    const key = JSON.stringify(prefix);
    if (listsDone.has(key)) continue;
    listsDone.add(key);
    diffList(valueAt(before, prefix) as Json[], valueAt(after, prefix) as Json[], prefix, out);
  }
  return out;
}

/** `/items/0/a~1b` → items, 0, a/b: a segment is a position where the document holds a list there. */
function pointerSteps(pointer: string, before: Json, after: Json): PathStep[] {
  const steps: PathStep[] = [];
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const node = valueAt(before, steps) ?? valueAt(after, steps);
    steps.push(Array.isArray(node) && /^\d+$/.test(segment) ? { index: Number(segment) } : { key: segment });
  }
  return steps;
}

function valueAt(doc: Json, steps: readonly PathStep[]): Json | undefined {
  let node: Json | undefined = doc;
  for (const step of steps) {
    if (Array.isArray(node) && 'index' in step) node = node[step.index];
    else if (isObject(node) && 'key' in step) node = node[step.key];
    else return undefined;
  }
  return node;
}

/** How many steps lead to the outermost list, on both sides, that the operation reaches into. */
function listPrefix(before: Json, after: Json, steps: readonly PathStep[]): number | undefined {
  for (let length = 0; length < steps.length; length++) {
    const prefix = steps.slice(0, length);
    if (Array.isArray(valueAt(before, prefix)) && Array.isArray(valueAt(after, prefix))) return length;
  }
  return undefined;
}

/** An operation outside lists, as is; the old value of a remove or replace comes from `before`. */
function operationDiff(op: Operation, before: Json, steps: readonly PathStep[]): FieldDiff {
  const path = pathText(steps);
  const old = valueAt(before, steps);
  switch (op.op) {
    case 'add':
      return { sign: '+', path, to: op.value as Json };
    case 'remove':
      return old === undefined ? { sign: '-', path } : { sign: '-', path, from: old };
    case 'replace':
      return { sign: '~', path, from: old ?? null, to: op.value as Json };
    default:
      // compare() never emits move/copy/test; named plainly should a planner ever do so.
      return { sign: '~', path, to: `(${op.op})` };
  }
}

function diffValue(before: Json, after: Json, path: PathStep[], out: FieldDiff[]): void {
  if (canonicalJson(before) === canonicalJson(after)) return;
  if (isObject(before) && isObject(after)) diffObject(before, after, path, out);
  else if (Array.isArray(before) && Array.isArray(after)) diffList(before, after, path, out);
  else out.push({ sign: '~', path: pathText(path), from: before, to: after });
}

/** The name of the member a value sits in (undefined at the root and for list entries). */
function fieldName(path: readonly PathStep[]): string | undefined {
  const last = path.at(-1);
  return last !== undefined && 'key' in last ? last.key : undefined;
}

/** A reference now pointing at another object. Custom field values are data, never references. */
function movedReference(before: JsonObject, after: JsonObject, path: readonly PathStep[]): boolean {
  const field = fieldName(path);
  const first = path[0];
  if (field === undefined || !REFERENCE_FIELDS.has(field) || (first !== undefined && 'key' in first && first.key === 'customFields')) return false;
  return Object.hasOwn(before, 'externalReference') && Object.hasOwn(after, 'externalReference') && before.externalReference !== after.externalReference;
}

/** Inside a list entry there is no patch to follow: members go in key order (sorted, in a Plan). */
function diffObject(before: JsonObject, after: JsonObject, path: PathStep[], out: FieldDiff[]): void {
  if (movedReference(before, after, path)) {
    out.push({ sign: '~', path: pathText(path), from: before.externalReference ?? null, to: after.externalReference ?? null });
    return;
  }
  for (const key of Object.keys(before)) {
    const at = [...path, { key }];
    if (Object.hasOwn(after, key)) diffValue(before[key] ?? null, after[key] ?? null, at, out);
    else out.push({ sign: '-', path: pathText(at), from: before[key] ?? null });
  }
  for (const key of Object.keys(after)) {
    if (!Object.hasOwn(before, key)) out.push({ sign: '+', path: pathText([...path, { key }]), to: after[key] ?? null });
  }
}

/** By identity: removed entries, then changes inside kept ones, then added ones, then a new order. */
function diffList(before: Json[], after: Json[], path: PathStep[], out: FieldDiff[]): void {
  const match = matchList(fieldName(path), before, after);
  if (match === undefined) {
    diffPositions(before, after, path, out);
    return;
  }
  for (const { label } of match.removed) out.push({ sign: '-', path: pathText([...path, { label }]) });
  for (const pair of match.pairs) diffValue(before[pair.before] ?? null, after[pair.after] ?? null, [...path, { label: pair.label }], out);
  for (const { index, label } of match.added) {
    const entry: FieldDiff = { sign: '+', path: pathText([...path, { label }]) };
    if (!match.scalar) entry.to = after[index] ?? null;
    out.push(entry);
  }
  if (match.reordered) out.push({ sign: '~', path: `${pathText(path)} (order)`, from: match.reordered.before, to: match.reordered.after });
}

/** Lists without identity, position by position: changed ones, then dropped ones, then appended ones. */
function diffPositions(before: Json[], after: Json[], path: PathStep[], out: FieldDiff[]): void {
  for (let index = 0; index < before.length; index++) {
    const at = [...path, { index }];
    if (index < after.length) diffValue(before[index] ?? null, after[index] ?? null, at, out);
    else out.push({ sign: '-', path: pathText(at), from: before[index] ?? null });
  }
  for (let index = before.length; index < after.length; index++) out.push({ sign: '+', path: pathText([...path, { index }]), to: after[index] ?? null });
}
