/**
 * `tug drift` reports: text for people, markdown for an issue, JSON for machines. All three say the same
 * thing from the same DriftReport: counts per class and kind, then every difference with its class.
 */
import type { ChalkInstance } from 'chalk';
import { DRIFT_CLASSES, type DriftClass, type DriftItem } from '../core/drift.js';
import type { DriftReport } from '../drift/run-drift.js';
import { formatCount, plural } from './count.js';
import { codeSpan, escapeMarkdown } from './escape-markdown.js';
import { printable } from './printable.js';
import { readablePath } from './plan-text.js';

const CLASSES: DriftClass[] = [1, 2, 3, 4, 5];

const subject = (i: DriftItem) => `${i.kind}/${i.id}`;
const fieldsOf = (i: DriftItem) => (i.fields && i.fields.length > 0 ? ` (${i.fields.map(readablePath).join(', ')})` : '');

function countsLine(report: DriftReport, c: DriftClass): string {
  const perKind = Object.entries(report.counts[c]).sort(([a], [b]) => (a < b ? -1 : 1));
  return perKind.map(([kind, n]) => `${kind} ${formatCount(n)}`).join(', ');
}

export function driftTotal(report: DriftReport): number {
  return report.items.length;
}

function headline(report: DriftReport): string {
  const n = driftTotal(report);
  if (n === 0) return report.errors.length === 0 ? 'No drift: the account matches the manifests.' : 'No drift found, but the comparison is incomplete (errors below).';
  const parts = CLASSES.filter((c) => Object.keys(report.counts[c]).length > 0).map(
    (c) => `${formatCount(Object.values(report.counts[c]).reduce((a, b) => a + b, 0))} ${DRIFT_CLASSES[c].name}`,
  );
  return `Drift: ${plural(n, 'difference')} (${parts.join(', ')}).`;
}

export function renderDriftText(report: DriftReport, c: ChalkInstance): string {
  const lines: string[] = [];
  for (const cls of CLASSES) {
    const items = report.items.filter((i) => i.class === cls);
    if (items.length === 0) continue;
    lines.push(c.bold(`(${cls}) ${DRIFT_CLASSES[cls].name}: ${DRIFT_CLASSES[cls].title} — ${countsLine(report, cls)}`));
    for (const i of items) lines.push(`  ${i.op ? `${i.op} ` : ''}${printable(subject(i))}${printable(fieldsOf(i))}: ${printable(i.message)}`);
    lines.push('');
  }
  for (const e of report.errors) lines.push(c.red(`error: ${printable(`${e.kind}/${e.id}`)}: ${printable(e.message)}${e.location ? ` (${printable(e.location)})` : ''}`));
  if (report.errors.length > 0) lines.push('');
  if (report.applied.objects === 0) lines.push(c.dim('No record of what tug last applied (apply writes one): every change counts as git ahead.'));
  lines.push(headline(report));
  return `${lines.join('\n')}\n`;
}

/** Markdown, e.g. the body of a `tug-drift` issue. */
export function renderDriftMarkdown(report: DriftReport): string {
  const lines = ['<!-- tug-drift -->', `## tug drift: ${escapeMarkdown(headline(report))}`, ''];
  const present = CLASSES.filter((cls) => Object.keys(report.counts[cls]).length > 0);
  if (present.length > 0) {
    lines.push('| class | what | count |', '|:--|:--|:--|');
    for (const cls of present) lines.push(`| ${cls} ${DRIFT_CLASSES[cls].name} | ${escapeMarkdown(DRIFT_CLASSES[cls].title)} | ${escapeMarkdown(countsLine(report, cls))} |`);
    lines.push('');
  }
  for (const cls of present) {
    lines.push(`<details><summary>(${cls}) ${escapeMarkdown(DRIFT_CLASSES[cls].name)}</summary>`, '');
    for (const i of report.items.filter((x) => x.class === cls))
      lines.push(`- ${i.op ? `${i.op} ` : ''}${codeSpan(printable(subject(i)))}${escapeMarkdown(printable(fieldsOf(i)))}: ${escapeMarkdown(printable(i.message))}`);
    lines.push('', '</details>', '');
  }
  for (const e of report.errors) lines.push(`- ❌ ${codeSpan(printable(`${e.kind}/${e.id}`))}: ${escapeMarkdown(printable(e.message))}`);
  return `${lines.join('\n').trimEnd()}\n`;
}

export function renderDriftJson(report: DriftReport): string {
  const classes = Object.fromEntries(CLASSES.map((c) => [c, { name: DRIFT_CLASSES[c].name, title: DRIFT_CLASSES[c].title, counts: report.counts[c] }]));
  return `${JSON.stringify({ drift: report.items.length > 0, classes, items: report.items, errors: report.errors, applied: report.applied, requests: report.requests }, null, 2)}\n`;
}
