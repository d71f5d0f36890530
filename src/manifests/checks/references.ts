/**
 * References between documents must resolve: each kind says which references its manifests make (its
 * `references` hook: a contract's customer, an asset's owning depot, …) and each must name a manifest
 * of the target kind. tug creates what the manifests define, so a reference to anything else would
 * fail at apply time — better to say so now, with a likely typo.
 */
import type { KindName } from '../../kinds/registry.js';
import type { Diagnostic } from '../diagnostics.js';
import { diagnosticAt, type ManifestDocument } from '../document.js';
import { closest } from '../suggest.js';

import { kindChecks } from './kind-checks.js';
import type { CheckContext } from './hooks.js';
import type { ManifestReference } from './hooks.js';

/** Defined identities: a set to look up, a list to suggest from. */
interface Defined {
  has: (v: string) => boolean;
  list: string[];
}

/** The identities of each kind that the documents define, or that failed their schema (reported already). */
function definedIdentities(docs: ManifestDocument[], context: CheckContext): (kind: KindName) => Defined {
  const byKind = new Map<KindName, Defined>();
  return (kind) => {
    let defined = byKind.get(kind);
    if (!defined) {
      const invalid = [...context.invalid].filter((s) => s.startsWith(`${kind}/`)).map((s) => s.slice(kind.length + 1));
      const set = new Set([...docs.filter((d) => d.manifest.kind === kind).map((d) => d.identity), ...invalid]);
      byKind.set(kind, (defined = { has: (v) => set.has(v), list: [...set] }));
    }
    return defined;
  };
}

function unresolved(doc: ManifestDocument, ref: ManifestReference, known: string[]): Diagnostic {
  const hint = closest(ref.identity, known);
  const message = `${ref.field} "${ref.identity}" is not defined by any ${ref.kind} manifest${hint ? ` (did you mean "${hint}"?)` : ''}`;
  return diagnosticAt(doc, ref.path, message, 'unresolved_reference');
}

export function unresolvedReferences(docs: ManifestDocument[], context: CheckContext): Diagnostic[] {
  const defined = definedIdentities(docs, context);
  const out: Diagnostic[] = [];
  for (const doc of docs) {
    for (const ref of kindChecks(doc.manifest.kind).references?.(doc.manifest) ?? []) {
      const known = defined(ref.kind);
      if (!known.has(ref.identity)) out.push(unresolved(doc, ref, known.list));
    }
  }
  return out;
}
