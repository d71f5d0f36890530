/**
 * Diagnostics: one problem in one place — `file:line:col  Kind/identity  message` — the unit every
 * validation step produces and every output format (text, JSON, GitHub annotations) renders.
 */

import { compareText } from '../core/canonical.js';
import { printable } from '../render/plan-text.js';

export interface Diagnostic {
  /** Path as given or relative to the working directory. */
  file: string;
  /** 1-based line and column of the exact key or value at fault. */
  line: number;
  col: number;
  /** `Depot/aarhus`, when the problem belongs to a document with a known kind and identity. */
  subject?: string;
  message: string;
  /** Stable machine-readable code, e.g. `schema`, `duplicate_identity`, `unresolved_reference`. */
  code: string;
  severity: 'error' | 'warning';
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return compareText(a.file, b.file) || a.line - b.line || a.col - b.col || compareText(a.message, b.message);
}

/**
 * One line per diagnostic, control characters shown as escapes (as `tug plan` shows them): a key, value
 * or file name holding a newline or ESC must neither forge another diagnostic nor drive the terminal.
 */
export function formatText(d: Diagnostic): string {
  const where = `${d.file}:${d.line}:${d.col}`;
  const warn = d.severity === 'warning' ? 'warning: ' : '';
  return printable(d.subject ? `${where}  ${d.subject}  ${warn}${d.message}` : `${where}  ${warn}${d.message}`);
}

/**
 * GitHub Actions workflow command: an annotation on the pull request's diff. Control characters are
 * shown as escapes first (as in text), so the log stays one line per annotation and uncoloured.
 */
export function formatGithub(d: Diagnostic): string {
  // No CR or LF is left after printable() to encode as %0D / %0A; only % itself needs it.
  const escapeData = (s: string) => printable(s).replace(/%/g, '%25');
  const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const message = d.subject ? `${d.subject}: ${d.message}` : d.message;
  return `::${d.severity === 'warning' ? 'warning' : 'error'} file=${escapeProperty(d.file)},line=${d.line},col=${d.col}::${escapeData(message)}`;
}
