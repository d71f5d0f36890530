/**
 * References between documents must resolve: a contract's customer to a Customer manifest, a contract's
 * hiring depot and an asset's owning depot to a Depot manifest. tug creates what the manifests define,
 * so a reference to anything else would fail at apply time — better to say so now, with a likely typo.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { CheckContext } from './index.js';
import { diagnosticAt, ofKind, type ManifestDocument } from '../document.js';
import { closest } from '../suggest.js';

/** Defined identities: a set to look up, a list to suggest from. */
function defined(values: string[]): { has: (v: string) => boolean; list: string[] } {
  const set = new Set(values);
  return { has: (v) => set.has(v), list: [...set] };
}

function unresolved(doc: ManifestDocument, field: string, value: string, targetKind: string, known: string[]): Diagnostic {
  const hint = closest(value, known);
  const message = `${field} "${value}" is not defined by any ${targetKind} manifest${hint ? ` (did you mean "${hint}"?)` : ''}`;
  return diagnosticAt(doc, [field], message, 'unresolved_reference');
}

export function unresolvedReferences(docs: ManifestDocument[], context: CheckContext): Diagnostic[] {
  const invalid = (kind: string) => [...context.invalid].filter((s) => s.startsWith(`${kind}/`)).map((s) => s.slice(kind.length + 1));
  const customers = defined([...ofKind(docs, 'Customer').map((d) => d.manifest.externalReference), ...invalid('Customer')]);
  const depots = defined([...ofKind(docs, 'Depot').map((d) => d.manifest.key), ...invalid('Depot')]);
  const out: Diagnostic[] = [];
  for (const doc of docs) {
    const m = doc.manifest;
    if (m.kind === 'Contract') {
      if (!customers.has(m.customer)) out.push(unresolved(doc, 'customer', m.customer, 'Customer', customers.list));
      if (m.hiringDepot !== undefined && !depots.has(m.hiringDepot)) out.push(unresolved(doc, 'hiringDepot', m.hiringDepot, 'Depot', depots.list));
    } else if (m.kind === 'Asset' && m.owningDepot !== undefined && !depots.has(m.owningDepot)) {
      out.push(unresolved(doc, 'owningDepot', m.owningDepot, 'Depot', depots.list));
    }
  }
  return out;
}
