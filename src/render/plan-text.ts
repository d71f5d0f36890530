/**
 * The terminal rendering of a Plan (`tug plan`, default format). It only presents: every count and
 * decision comes from the Plan. Colour is the caller's choice (a chalk instance at level 0 when stdout
 * is not a TTY or NO_COLOR is set), and the output has no timestamps, so the same plan always prints
 * the same text. The small formatting helpers here (paths, values, counts, the summary and budget
 * sentences) are shared with the Markdown renderer so both say the same thing the same way.
 */
import type { ChalkInstance } from 'chalk';
import { describeDuration } from '../core/budget.js';
import type { Change, Op, Plan, PlanProblem } from '../core/plan.js';
import { compareText } from '../core/canonical.js';
import { formatCount, plural } from './count.js';
import { printable } from './printable.js';
import { diffChange, pathText, type PathStep } from './field-diff.js';

/** Values longer than this (as JSON) are cut with an ellipsis: a diff line stays one screen line. */
export const MAX_VALUE_CHARS = 80;
/** An unmanaged object's label is shortened to this many characters (before quoting). */
export const MAX_LABEL_CHARS = 38;
/** Labels of unmanaged objects shown per kind; the rest is a count. */
export const MAX_UNMANAGED_LABELS = 10;

export const OP_SYMBOL: Record<Op, string> = { adopt: '~', create: '+', update: '~', delete: '-', sync: '↻' };
export const OP_ORDER: Op[] = ['adopt', 'create', 'update', 'sync', 'delete'];

export { printable } from './printable.js';
export { formatCount } from './count.js';

const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Brackets `text` leaves open, as the closers that would end them (innermost first). */
function unclosed(text: string): string {
  const open: string[] = [];
  for (const ch of text) {
    if (ch in CLOSER) open.push(CLOSER[ch]!);
    else if (open.at(-1) === ch) open.pop();
  }
  return open.reverse().join('');
}

/**
 * `text` in at most `max` characters without breaking its structure: a trailing `(…)` qualifier (an
 * external reference, a type, a status) is kept whole while it takes at most half the room and the name
 * before it is shortened; otherwise the text is cut with an ellipsis and every bracket the cut left open
 * is closed after it. Callers quote the result, so quotes always close too.
 */
export function shortenLabel(text: string, max: number): string {
  if (text.length <= max) return text;
  const qualifier = /\s*\([^()]*\)$/.exec(text)?.[0];
  if (qualifier !== undefined && qualifier.length <= max / 2) {
    return `${shortenLabel(text.slice(0, -qualifier.length), max - qualifier.length)}${qualifier}`;
  }
  for (let keep = max - 1; keep > 0; keep -= 1) {
    const cut = text.slice(0, keep).trimEnd();
    const closers = unclosed(cut);
    if (cut.length + 1 + closers.length <= max) return `${cut}…${closers}`;
  }
  return '…';
}

/** A value as compact JSON, cut at `max` characters. */
export function formatValue(value: unknown, max = MAX_VALUE_CHARS): string {
  const json = value === undefined ? 'undefined' : JSON.stringify(value);
  return json.length <= max ? json : `${json.slice(0, max - 1)}…`;
}

function decodeSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** A JSON pointer as a reader writes it: `/address/city` → `address.city`, `/items/0` → `items[0]`. */
export function readablePath(pointer: string): string {
  const steps = pointer
    .split('/')
    .slice(1)
    .map(decodeSegment)
    .map((segment): PathStep => (/^(\d+|-)$/.test(segment) ? { label: segment } : { key: segment }));
  return printable(pathText(steps));
}

/** One changed field, ready to print: `+` added, `-` removed, `~` replaced (from → to). */
export interface FieldChange {
  sign: '+' | '-' | '~';
  path: string;
  from?: string;
  to?: string;
}

/**
 * The changed fields of a change, lists matched by identity (see field-diff.ts), values cut at `max`
 * characters. A field without `from`/`to` is named only (a removed list entry, an added option).
 */
export function fieldChanges(change: Change, max = MAX_VALUE_CHARS): FieldChange[] {
  return diffChange(change).map((diff) => {
    const field: FieldChange = { sign: diff.sign, path: printable(diff.path) };
    if (diff.from !== undefined) field.from = printable(formatValue(diff.from, max));
    if (diff.to !== undefined) field.to = printable(formatValue(diff.to, max));
    return field;
  });
}

/** `+ create Depot/aarhus` without colour. */
export function changeTitle(change: Change): string {
  return `${OP_SYMBOL[change.op]} ${change.op} ${change.kind}/${printable(change.id)}`;
}

/** Totals per op over all kinds, from the plan's summary. */
export function opTotals(plan: Plan): Record<Op, number> {
  const totals: Record<Op, number> = { adopt: 0, create: 0, update: 0, sync: 0, delete: 0 };
  for (const perOp of Object.values(plan.summary)) for (const op of OP_ORDER) totals[op] += perOp[op] ?? 0;
  return totals;
}

/**
 * "3 to create, 5 to update, 2 to sync, 1 to delete" (all four, so scripts can rely on the shape), led by
 * "2 to adopt, " when the plan adopts existing objects.
 */
export function countsPhrase(totals: Record<Op, number>): string {
  return OP_ORDER.filter((op) => op !== 'adopt' || totals.adopt > 0)
    .map((op) => `${formatCount(totals[op])} to ${op}`)
    .join(', ');
}

export function hasChanges(plan: Plan): boolean {
  return plan.changes.length > 0;
}

/**
 * The closing sentence: `Plan: … .`, or, with nothing to change, why not. "The account matches the
 * manifests" only when no problem says otherwise: a warning is something tug did not or could not
 * compare or change (e.g. a contract without items never reaches Trackunit), so the account may differ.
 */
export function summaryLine(plan: Plan): string {
  if (hasChanges(plan)) return `Plan: ${countsPhrase(opTotals(plan))}.`;
  const errors = plan.problems.filter((p) => p.severity === 'error').length;
  const warnings = plan.problems.length - errors;
  if (errors > 0) return `No changes planned, but ${plural(errors, 'error')} ${errors === 1 ? 'needs' : 'need'} fixing (see Problems).`;
  if (warnings > 0) {
    return `No changes planned, but ${plural(warnings, 'warning')} (see Problems): the account may still differ from the manifests.`;
  }
  return 'No changes. The account matches the manifests.';
}

/**
 * "apply will make 1,234 API requests (1,000 writes, 234 reads for its checks): rental 1,000, sites 34;
 * at the configured rate limits about 17 minutes."
 */
export function budgetLine(plan: Plan): string {
  const { budget } = plan;
  if (budget.totalRequests === 0) return 'apply will make no API requests.';
  const families = Object.entries(budget.requests)
    .filter((entry): entry is [string, number] => (entry[1] ?? 0) > 0)
    .sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]))
    .map(([family, count]) => `${family} ${formatCount(count)}`);
  const reads = Object.values(budget.reads ?? {}).reduce((a: number, b) => a + (b ?? 0), 0);
  const split = budget.reads ? ` (${plural(budget.totalRequests - reads, 'write')}, ${plural(reads, 'read')} for its stale and convergence checks)` : '';
  return `apply will make ${plural(budget.totalRequests, 'API request')}${split}: ${families.join(', ')}; at the configured rate limits ${describeDuration(budget.predictedSeconds)}.`;
}

/** "23 h 5 min", "4 min", "12 s". */
export function describeAge(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h${minutes % 60 > 0 ? ` ${minutes % 60} min` : ''}`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/**
 * What the plan compared, one line per kind with per-object reads: "Contract: 20,000 per-object reads,
 * 834 live, 19,166 from the inventory (oldest 22 h 58 min old)". Every plan states this: it never hides
 * the age of what it compared.
 */
export function freshnessLines(plan: Plan): string[] {
  const f = plan.freshness;
  if (!f) return [];
  const kinds = Object.entries(f.kinds).filter(([, k]) => k.reads > 0);
  const head = `Read per object (refresh ${f.refresh}, max age ${describeAge(f.maxAgeSeconds)}):`;
  const lines = kinds.map(([kind, k]) => {
    const parts = [`${formatCount(k.live)} live`];
    if (k.inventory > 0) parts.push(`${formatCount(k.inventory)} from the inventory (oldest ${describeAge(k.oldestAgeSeconds ?? 0)} old, read ${k.oldestReadAt ?? '?'})`);
    if (k.unread) parts.push(`${formatCount(k.unread)} not read (outside --target)`);
    return `  ${kind}: ${plural(k.reads, 'read')}, ${parts.join(', ')}`;
  });
  if (lines.length === 0) lines.push('  none (the lists were enough)');
  return [head, ...lines, ...(f.discarded ? [`  note: ${f.discarded}`] : [])];
}

/** Unmanaged objects per kind (in plan order): the count and the first labels. */
export function unmanagedGroups(plan: Plan, maxLabels = MAX_UNMANAGED_LABELS): Array<{ kind: string; count: number; labels: string[] }> {
  const groups = new Map<string, { kind: string; count: number; labels: string[] }>();
  for (const object of plan.unmanaged) {
    const group = groups.get(object.kind) ?? { kind: object.kind, count: 0, labels: [] };
    group.count += 1;
    if (group.labels.length < maxLabels) group.labels.push(object.label);
    groups.set(object.kind, group);
  }
  return [...groups.values()];
}

/** `Kind/identity` of a problem. */
export function problemSubject(problem: PlanProblem): string {
  return `${problem.kind}/${problem.id}`;
}

// ---- terminal output -------------------------------------------------------------------------------

const OP_COLOUR: Record<Op, 'green' | 'yellow' | 'red' | 'cyan' | 'blue'> = { adopt: 'blue', create: 'green', update: 'yellow', delete: 'red', sync: 'cyan' };

function fieldLine(field: FieldChange, c: ChalkInstance): string {
  if (field.sign === '+') return `    ${c.green('+')} ${field.path}${field.to === undefined ? '' : `: ${field.to}`}`;
  if (field.sign === '-') return `    ${c.red('-')} ${field.path}${field.from === undefined ? '' : `: ${field.from}`}`;
  return field.from === undefined ? `    ${field.path}: ${field.to}` : `    ${field.path}: ${c.red(field.from)} → ${c.green(field.to ?? '')}`;
}

function changeLines(change: Change, c: ChalkInstance): string[] {
  const lines = [c[OP_COLOUR[change.op]](changeTitle(change))];
  for (const field of fieldChanges(change)) lines.push(fieldLine(field, c));
  for (const note of change.notes) lines.push(c.dim(`    note: ${printable(note)}`));
  if (change.reason !== undefined) lines.push(c.dim(`    (${printable(change.reason)})`));
  return lines;
}

function problemLines(plan: Plan, c: ChalkInstance): string[] {
  if (plan.problems.length === 0) return [];
  const ordered = [...plan.problems.filter((p) => p.severity === 'error'), ...plan.problems.filter((p) => p.severity === 'warning')];
  const lines = ['Problems:'];
  for (const p of ordered) {
    const paint = p.severity === 'error' ? c.red : c.yellow;
    const where = p.location === undefined ? '' : c.dim(` (${printable(p.location)})`);
    lines.push(`  ${paint(p.severity.padEnd(7))} ${printable(problemSubject(p))}: ${printable(p.message)}${where}`);
  }
  return lines;
}

function unmanagedLines(plan: Plan): string[] {
  if (plan.unmanaged.length === 0) return [];
  const lines = ['Unmanaged (not in any manifest and not managed by tug; left alone):'];
  for (const group of unmanagedGroups(plan)) {
    const labels = group.labels.map((label) => printable(JSON.stringify(shortenLabel(label, MAX_LABEL_CHARS))));
    const more = group.count > labels.length ? `, … and ${formatCount(group.count - labels.length)} more` : '';
    lines.push(`  ${group.kind}: ${formatCount(group.count)} (${labels.join(', ')}${more})`);
  }
  return lines;
}

function breachLines(plan: Plan, c: ChalkInstance): string[] {
  if (plan.safety.breaches.length === 0) return [];
  const lines = [c.red.bold('Safety policy breached: apply will refuse this plan (exit 3).')];
  for (const breach of plan.safety.breaches) lines.push(c.red(`  ✗ ${breach.rule}: ${printable(breach.message)}`));
  return lines;
}

/** The whole terminal rendering, newline-terminated. */
export function renderPlanText(plan: Plan, color: ChalkInstance): string {
  const sections: string[][] = [
    freshnessLines(plan).map((line) => color.dim(printable(line))),
    plan.changes.flatMap((change) => changeLines(change, color)),
    problemLines(plan, color),
    unmanagedLines(plan),
    breachLines(plan, color),
    hasChanges(plan) ? [budgetLine(plan)] : [],
    [color.bold(summaryLine(plan))],
  ];
  return `${sections
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join('\n'))
    .join('\n\n')}\n`;
}
