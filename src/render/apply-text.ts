/** An apply's report as terminal text: failures and skips, counts per kind and op, totals, convergence. */
import type { ChalkInstance } from 'chalk';
import { convergedLine, describeRemaining, outcomesWith, type ApplyReport } from '../apply/report.js';
import { plural } from './count.js';
import { printable } from './printable.js';

export function renderApplyText(report: ApplyReport, c: ChalkInstance): string {
  const lines: string[] = [];
  for (const o of report.outcomes) {
    if (o.status === 'failed') lines.push(c.red(`✗ ${o.op} ${o.kind}/${printable(o.id)}: ${printable(o.error?.message ?? 'failed')}`));
    else if (o.status === 'skipped' && !/^(already applied|not started)/.test(o.reason ?? '')) lines.push(c.yellow(`- ${o.op} ${o.kind}/${printable(o.id)} skipped: ${printable(o.reason ?? '')}`));
  }
  for (const [kind, ops] of Object.entries(report.counts)) {
    const parts = Object.entries(ops).map(([op, s]) => `${op} ${s.applied ?? 0}${s.failed ? ` (${s.failed} failed)` : ''}${s.skipped ? ` (${s.skipped} skipped)` : ''}`);
    lines.push(`  ${kind.padEnd(22)} ${parts.join(', ')}`);
  }
  const secs = (report.wallMs / 1000).toFixed(1);
  lines.push(
    `Apply: ${outcomesWith(report, 'applied')} applied, ${outcomesWith(report, 'failed')} failed, ${outcomesWith(report, 'skipped')} skipped` +
      ` — ${plural(report.requests, 'request')}, ${plural(report.retries, 'retry', 'retries')}, ${report.rateLimited} × 429, ${secs} s.`,
  );
  if (report.stoppedEarly) lines.push(c.yellow(`Stopped early (${report.stoppedEarly}); finish with \`tug apply --resume\`.`));
  for (const r of report.convergence.remaining) {
    lines.push(c.red(`Not converged: ${describeRemaining(r, printable(`${r.kind}/${r.id}`), r.fields.map(printable).join(', '))}.`));
  }
  if (report.convergence.checked && report.convergence.ok) lines.push(c.green(convergedLine(report)));
  return `${lines.join('\n')}\n`;
}
