/**
 * The Markdown rendering of a Plan, posted by CI as a pull-request comment. Three promises:
 *
 * 1. What can hurt comes first and is never left out: safety breaches, then problems, then every
 *    delete by name. Other changes follow per kind, folded in `<details>`.
 * 2. Every user-provided string is inert (see escape-markdown.ts): prose is escaped, identities and
 *    locations are code spans, diff lines live in a fence no value can close.
 * 3. The comment is always under `maxChars` (GitHub refuses comments over 65,536 characters). The
 *    mandatory parts are sized first; problems, change details and unmanaged objects then share what
 *    is left, and whatever did not fit is counted in a closing note pointing to the plan file. The
 *    delete list degrades from a rich list to one identity per line; only if even that cannot fit
 *    (about 60,000 / (identity length + 1) deletes) are the last ones counted instead of named.
 */
import { KIND_NAMES } from '../kinds/registry.js';
import type { Change, Op, Plan } from '../core/plan.js';
import { plural } from './count.js';
import { codeSpan, escapeHtml, escapeMarkdown, fencedBlock } from './escape-markdown.js';
import {
  budgetLine,
  changeTitle,
  countsPhrase,
  fieldChanges,
  formatCount,
  freshnessLines,
  hasChanges,
  opTotals,
  printable,
  problemSubject,
  shortenLabel,
  summaryLine,
  unmanagedGroups,
} from './plan-text.js';
import { compareText } from '../core/canonical.js';

export const MARKDOWN_MAX_CHARS = 60_000;
/** Field lines shown per change in the folded details (a contract with 500 items is not a comment). */
export const MAX_FIELD_LINES = 20;
/** Room kept for the closing "not shown" note. */
const NOTE_RESERVE = 300;
const SEP = '\n\n';

export interface MarkdownOptions {
  /** Upper bound for the whole comment, in UTF-16 code units (≥ what GitHub counts). */
  maxChars?: number;
}

interface Fitted {
  text: string;
  omitted: number;
}

const OPS: Op[] = ['adopt', 'create', 'update', 'sync', 'delete'];

/** Kinds in dependency order (the registry's levels), as a reader expects them. */
function kindRank(kind: string): number {
  const index = (KIND_NAMES as readonly string[]).indexOf(kind);
  return index === -1 ? KIND_NAMES.length : index;
}

/** Identities and locations: a code span (inert, copyable), control characters shown as escapes. */
function idSpan(text: string): string {
  return codeSpan(printable(text));
}

function groupByKind(changes: Change[]): Array<[string, Change[]]> {
  const groups = new Map<string, Change[]>();
  for (const change of changes) {
    const group = groups.get(change.kind);
    if (group) group.push(change);
    else groups.set(change.kind, [change]);
  }
  return [...groups.entries()];
}

function head(plan: Plan): string {
  const breached = plan.safety.breaches.length > 0 ? '⛔ ' : '';
  const title = hasChanges(plan) ? countsPhrase(opTotals(plan)) : 'no changes';
  const lines = ['<!-- tug-plan -->', `## ${breached}tug plan: ${title}`, ''];
  if (!hasChanges(plan)) lines.push(summaryLine(plan), '');
  const kinds = Object.entries(plan.summary)
    .filter(([, perOp]) => OPS.some((op) => (perOp[op] ?? 0) > 0))
    .sort(([a], [b]) => kindRank(a) - kindRank(b) || compareText(a, b));
  if (kinds.length > 0) {
    // The adopt column only when something is adopted: the usual table keeps its four columns.
    const columns = OPS.filter((op) => op !== 'adopt' || kinds.some(([, perOp]) => (perOp.adopt ?? 0) > 0));
    lines.push(`| Kind | ${columns.join(' | ')} |`, `|:--|${columns.map(() => '--:|').join('')}`);
    for (const [kind, perOp] of kinds) lines.push(`| ${escapeMarkdown(kind)} | ${columns.map((op) => formatCount(perOp[op] ?? 0)).join(' | ')} |`);
    lines.push('');
  }
  lines.push(`Plan fingerprint: ${codeSpan(plan.fingerprint)}`);
  const freshness = freshnessLines(plan);
  if (freshness.length > 0) lines.push('', ...freshness.map((line, i) => (i === 0 ? escapeMarkdown(line) : `- ${escapeMarkdown(line.trim())}`)));
  return lines.join('\n');
}

function breachSection(plan: Plan, room: number): string {
  if (plan.safety.breaches.length === 0) return '';
  const byKey = new Map(plan.changes.map((c) => [c.key, c]));
  const lines = ['### ⛔ Safety policy breached: apply will refuse this plan (exit 3)', ''];
  const protectedIds = new Map<string, string[]>();
  for (const breach of plan.safety.breaches) {
    if (breach.rule !== 'protected') {
      lines.push(`- **${escapeMarkdown(breach.rule)}** (${escapeMarkdown(breach.kind)}): ${escapeMarkdown(breach.message)}`);
      continue;
    }
    const ids = protectedIds.get(breach.kind) ?? [];
    for (const key of breach.changes) ids.push(byKey.get(key)?.id ?? key);
    protectedIds.set(breach.kind, ids);
  }
  for (const [kind, ids] of protectedIds) {
    lines.push(`- **protected** (${escapeMarkdown(kind)}): these are protected and cannot be deleted: ${ids.map(idSpan).join(', ')}`);
  }
  return fitLines(lines, room, (n) => `- … ${plural(n, 'more breach', 'more breaches')} (see the plan file)`).text;
}

/** Keep whole lines while they fit in `room`; the last line counts the rest. */
function fitLines(lines: string[], room: number, more: (omitted: number) => string): Fitted {
  const kept: string[] = [];
  let used = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const tail = i + 1 < lines.length ? more(lines.length - i).length + 1 : 0;
    if (used + line.length + 1 + tail > room) {
      kept.push(more(lines.length - i));
      return { text: kept.join('\n'), omitted: lines.length - i };
    }
    kept.push(line);
    used += line.length + 1;
  }
  return { text: kept.join('\n'), omitted: 0 };
}

function richDeletes(deletes: Change[]): string {
  const lines = deletes.map((c) => {
    const notes = c.notes.length > 0 ? ` — ${escapeMarkdown(c.notes.join('; '))}` : '';
    return `- ${idSpan(`${c.kind}/${c.id}`)}${notes}`;
  });
  return [`### Deletes (${formatCount(deletes.length)})`, '', ...lines].join('\n');
}

/** One identity per line per kind: the most compact listing that stays unambiguous and inert. */
function compactDeletes(deletes: Change[], room: number): Fitted {
  const intro = `### Deletes (${formatCount(deletes.length)})\n\nToo many to describe one by one: one identity per line, per kind.`;
  const parts = [intro];
  let used = intro.length;
  let omitted = 0;
  for (const [kind, changes] of groupByKind(deletes)) {
    const open = `<details><summary>${escapeHtml(kind)}: ${formatCount(changes.length)} to delete</summary>\n\n`;
    const close = '\n\n</details>';
    const warning = (n: number) => `\n\n**${plural(n, `more ${escapeMarkdown(kind)} delete`)} could not be named within the comment size limit; the plan file lists them.**`;
    const budget = room - used - SEP.length - open.length - close.length - warning(changes.length).length - 8;
    const ids: string[] = [];
    let size = 0;
    for (const change of changes) {
      const id = printable(change.id);
      if (size + id.length + 1 > budget) break;
      ids.push(id);
      size += id.length + 1;
    }
    if (ids.length === 0 && budget < 0) {
      omitted += changes.length;
      continue;
    }
    const left = changes.length - ids.length;
    omitted += left;
    const block = `${open}${fencedBlock(ids)}${left > 0 ? warning(left) : ''}${close}`;
    parts.push(block);
    used += SEP.length + block.length;
  }
  return { text: parts.join(SEP), omitted };
}

function deleteSection(plan: Plan, room: number): Fitted {
  const deletes = plan.changes.filter((c) => c.op === 'delete');
  if (deletes.length === 0) return { text: '', omitted: 0 };
  const rich = richDeletes(deletes);
  return rich.length <= room ? { text: rich, omitted: 0 } : compactDeletes(deletes, room);
}

function problemSection(plan: Plan, room: number): Fitted {
  if (plan.problems.length === 0) return { text: '', omitted: 0 };
  const ordered = [...plan.problems.filter((p) => p.severity === 'error'), ...plan.problems.filter((p) => p.severity === 'warning')];
  const lines = ordered.map((p) => {
    const icon = p.severity === 'error' ? '❌ **error**' : '⚠️ **warning**';
    const where = p.location === undefined ? '' : ` — ${idSpan(p.location)}`;
    return `- ${icon} ${idSpan(problemSubject(p))}: ${escapeMarkdown(p.message)}${where}`;
  });
  const heading = `### Problems (${formatCount(ordered.length)})\n\n`;
  if (room < heading.length + 100) return { text: '', omitted: ordered.length };
  const fitted = fitLines(lines, room - heading.length, (n) => `- … ${plural(n, 'more problem')} not shown`);
  return { text: heading + fitted.text, omitted: fitted.omitted };
}

/** The diff lines of one change (title, changed fields, notes, reason). */
function diffLines(change: Change): string[] {
  const lines = [changeTitle(change)];
  const fields = fieldChanges(change);
  for (const field of fields.slice(0, MAX_FIELD_LINES)) {
    // A replace is its two diff lines (old red, new green); a field without an old value is plain.
    // A removed or added list entry may come without a value: its path names it.
    if (field.from !== undefined) lines.push(`-     ${field.path}: ${field.from}`);
    else if (field.sign === '-') lines.push(`-     ${field.path}`);
    if (field.to !== undefined) lines.push(`${field.sign === '~' && field.from === undefined ? ' ' : '+'}     ${field.path}: ${field.to}`);
    else if (field.sign === '+') lines.push(`+     ${field.path}`);
  }
  if (fields.length > MAX_FIELD_LINES) lines.push(`      … ${plural(fields.length - MAX_FIELD_LINES, 'more field')} (see the plan file)`);
  for (const note of change.notes) lines.push(`      note: ${printable(note)}`);
  if (change.reason !== undefined) lines.push(`      (${printable(change.reason)})`);
  return lines;
}

function kindTitle(plan: Plan, kind: string): string {
  const perOp = plan.summary[kind as keyof Plan['summary']] ?? {};
  const phrase = OPS.filter((op) => op !== 'delete' && (perOp[op] ?? 0) > 0)
    .map((op) => `${formatCount(perOp[op] ?? 0)} to ${op}`)
    .join(', ');
  return `${escapeHtml(kind)}: ${phrase}`;
}

/** One kind's folded details: as many whole changes as fit in `share`. */
function kindDetails(plan: Plan, kind: string, changes: Change[], share: number): Fitted {
  const open = `<details><summary>${kindTitle(plan, kind)}</summary>\n\n`;
  const more = (n: number) => `\n\n_… ${plural(n, `more ${escapeMarkdown(kind)} change`)} not shown._`;
  const close = '\n\n</details>';
  let budget = share - open.length - close.length - more(changes.length).length - 16;
  const lines: string[] = [];
  let shown = 0;
  for (const change of changes) {
    const chunk = diffLines(change);
    const size = chunk.reduce((n, line) => n + line.length + 1, 0);
    if (size > budget) break;
    lines.push(...chunk);
    budget -= size;
    shown += 1;
  }
  if (shown === 0) return { text: '', omitted: changes.length };
  const omitted = changes.length - shown;
  return { text: `${open}${fencedBlock(lines, 'diff')}${omitted > 0 ? more(omitted) : ''}${close}`, omitted };
}

/** Non-delete changes per kind; each kind gets an equal share of the room, unused shares roll on. */
function detailSection(plan: Plan, room: number): Fitted {
  const groups = groupByKind(plan.changes.filter((c) => c.op !== 'delete'));
  if (groups.length === 0) return { text: '', omitted: 0 };
  const heading = '### Changes';
  let left = room - heading.length;
  const parts: string[] = [];
  let omitted = 0;
  groups.forEach(([kind, changes], i) => {
    const fitted = kindDetails(plan, kind, changes, Math.floor(left / (groups.length - i)) - SEP.length);
    omitted += fitted.omitted;
    if (fitted.text === '') return;
    parts.push(fitted.text);
    left -= fitted.text.length + SEP.length;
  });
  return { text: parts.length === 0 ? '' : [heading, ...parts].join(SEP), omitted };
}

function unmanagedSection(plan: Plan, room: number): Fitted {
  if (plan.unmanaged.length === 0) return { text: '', omitted: 0 };
  const lines = unmanagedGroups(plan).map((group) => {
    const labels = group.labels.map((label) => escapeMarkdown(shortenLabel(label, 60)));
    const more = group.count > labels.length ? `, … and ${formatCount(group.count - labels.length)} more` : '';
    return `- **${escapeMarkdown(group.kind)}** (${formatCount(group.count)}): ${labels.join(', ')}${more}`;
  });
  const text = [
    `<details><summary>Unmanaged objects (in no manifest, not managed by tug; left alone): ${formatCount(plan.unmanaged.length)}</summary>`,
    '',
    ...lines,
    '',
    '</details>',
  ].join('\n');
  return text.length <= room ? { text, omitted: 0 } : { text: '', omitted: plan.unmanaged.length };
}

function omissionNote(deletes: number, changes: number, problems: number, unmanaged: number): string {
  const parts = [
    deletes > 0 ? `${plural(deletes, 'delete')} (named only in the plan file)` : '',
    changes > 0 ? plural(changes, 'more change') : '',
    problems > 0 ? plural(problems, 'more problem') : '',
    unmanaged > 0 ? plural(unmanaged, 'unmanaged object') : '',
  ].filter((p) => p !== '');
  if (parts.length === 0) return '';
  return `_… ${parts.join(', ')} not shown (the full plan is in the plan file / CI artifact)._`;
}

/** The PR comment for a plan, newline-terminated and under `maxChars`. */
export function renderPlanMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const max = options.maxChars ?? MARKDOWN_MAX_CHARS;
  const top = head(plan);
  const budget = hasChanges(plan) ? `**Budget:** ${budgetLine(plan)}` : '';
  let room = max - top.length - budget.length - NOTE_RESERVE - 4 * SEP.length;
  const breaches = breachSection(plan, Math.floor(room / 4));
  room -= breaches.length + SEP.length;
  const deletes = deleteSection(plan, room);
  room -= deletes.text.length + SEP.length;
  const problems = problemSection(plan, room);
  room -= problems.text.length + SEP.length;
  const details = detailSection(plan, room);
  room -= details.text.length + SEP.length;
  const unmanaged = unmanagedSection(plan, room);
  const note = omissionNote(deletes.omitted, details.omitted, problems.omitted, unmanaged.omitted);
  const parts = [top, breaches, problems.text, deletes.text, details.text, unmanaged.text, budget, note];
  return `${parts.filter((p) => p !== '').join(SEP)}\n`;
}
