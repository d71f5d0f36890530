/**
 * The apply report as markdown, for a pull request or an ops channel: totals, a table by kind and op,
 * failures and convergence problems first, skips folded. Every user-provided string is escaped (see
 * escape-markdown.ts) so an identity or an error message cannot break the comment or mention anyone.
 */
import { convergedLine, describeRemaining, outcomesWith, type ApplyReport } from '../apply/report.js';
import { plural } from './count.js';
import { codeSpan, escapeMarkdown } from './escape-markdown.js';

/** Outcome lists longer than this are cut, with a count of the rest (the JSON report has them all). */
const MAX_LISTED = 200;

function listed(lines: string[]): string[] {
  return lines.length <= MAX_LISTED ? lines : [...lines.slice(0, MAX_LISTED), `- … and ${lines.length - MAX_LISTED} more (see the JSON report)`];
}

export function renderApplyMarkdown(report: ApplyReport): string {
  const applied = outcomesWith(report, 'applied');
  const failed = outcomesWith(report, 'failed');
  const skipped = outcomesWith(report, 'skipped');
  const out: string[] = ['<!-- tug-apply -->', `### tug apply: ${applied} applied, ${failed} failed, ${skipped} skipped`, ''];
  out.push(`${plural(report.requests, 'API request')}, ${plural(report.retries, 'retry', 'retries')}, ${report.rateLimited} × 429, ${(report.wallMs / 1000).toFixed(1)} s${report.resumed ? ' (resumed)' : ''}.`, '');
  if (report.stoppedEarly) out.push(`**Stopped early** (${escapeMarkdown(report.stoppedEarly)}): finish with \`tug apply --resume\`.`, '');
  const remaining = report.convergence.remaining;
  if (remaining.length > 0) {
    out.push('**Not converged:**', '');
    out.push(...listed(remaining.map((r) => `- ${describeRemaining(r, codeSpan(`${r.kind}/${r.id}`), r.fields.map(codeSpan).join(', '))}` /* tug's words around inert code spans */)), '');
  } else if (report.convergence.checked) {
    out.push(convergedLine(report), '');
  }
  const failures = report.outcomes.filter((o) => o.status === 'failed');
  if (failures.length > 0) {
    out.push('**Failed:**', '');
    out.push(...listed(failures.map((o) => `- ${o.op} ${codeSpan(`${o.kind}/${o.id}`)}: ${escapeMarkdown(o.error?.message ?? 'failed')}`)), '');
  }
  out.push('| kind | op | applied | failed | skipped |', '|---|---|---:|---:|---:|');
  for (const [kind, ops] of Object.entries(report.counts)) {
    for (const [op, s] of Object.entries(ops)) out.push(`| ${kind} | ${op} | ${s.applied ?? 0} | ${s.failed ?? 0} | ${s.skipped ?? 0} |`);
  }
  const skips = report.outcomes.filter((o) => o.status === 'skipped');
  if (skips.length > 0) {
    out.push('', `<details><summary>${skips.length} skipped</summary>`, '');
    out.push(...listed(skips.map((o) => `- ${o.op} ${codeSpan(`${o.kind}/${o.id}`)}: ${escapeMarkdown(o.reason ?? '')}`)));
    out.push('', '</details>');
  }
  return `${out.join('\n')}\n`;
}
