/**
 * Dates in order: a contract ends no earlier than it starts, an item goes off rent no earlier than it
 * went on rent, and is picked up no earlier than it was delivered. Plain dates are midnight UTC;
 * date-times are compared as instants, whatever their zones. Equal is fine.
 */
import type { Diagnostic } from '../diagnostics.js';
import { diagnosticAt, ofKind, type ManifestDocument } from '../document.js';
import type { PathSegment } from '../yaml.js';
import { instantOf } from './manifest-dates.js';

type Dated = [field: string, value: string | undefined];

/** `then` must not be before `first`; reported at `then`, the date that usually holds the typo. */
function order(doc: ManifestDocument, base: PathSegment[], [first, a]: Dated, [then, b]: Dated): Diagnostic[] {
  const [from, to] = [instantOf(a), instantOf(b)];
  if (from === undefined || to === undefined || to >= from) return [];
  return [diagnosticAt(doc, [...base, then], `${then} "${b}" is before ${first} "${a}"`, 'date_order')];
}

export function datesInOrder(docs: ManifestDocument[]): Diagnostic[] {
  return ofKind(docs, 'Contract').flatMap((doc) => {
    const { startDate, endDate, items = [] } = doc.manifest;
    return [
      ...order(doc, [], ['startDate', startDate], ['endDate', endDate]),
      ...items.flatMap((item, i) => [
        ...order(doc, ['items', i], ['onRentDate', item.onRentDate], ['offRentDate', item.offRentDate]),
        ...order(doc, ['items', i], ['deliveryDate', item.deliveryDate], ['pickupDate', item.pickupDate]),
      ]),
    ];
  });
}
