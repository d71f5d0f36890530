/**
 * Diagnostics: one problem in one place — `file:line:col  Kind/identity  message` — the unit every
 * validation step produces and every output format (text, JSON, GitHub annotations) renders.
 */

import { compareText } from '../core/canonical.js';

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

export function formatText(d: Diagnostic): string {
  const where = `${d.file}:${d.line}:${d.col}`;
  const warn = d.severity === 'warning' ? 'warning: ' : '';
  return d.subject ? `${where}  ${d.subject}  ${warn}${d.message}` : `${where}  ${warn}${d.message}`;
}

/** GitHub Actions workflow command: an annotation on the pull request's diff. */
export function formatGithub(d: Diagnostic): string {
  const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const message = d.subject ? `${d.subject}: ${d.message}` : d.message;
  return `::${d.severity === 'warning' ? 'warning' : 'error'} file=${escapeProperty(d.file)},line=${d.line},col=${d.col}::${escapeData(message)}`;
}
