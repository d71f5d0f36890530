/**
 * Customer → manifests (`tug export`): every customer with an externalReference (its identity; one
 * without cannot be named by a manifest and is reported), with its contacts and custom field values.
 * tug's own `tugManaged` marker is not a value a manifest sets: Customer prune writes it on adoption.
 */
import { compareText } from '../../core/canonical.js';
import type { ExportResult } from '../../core/kind.js';
import type { LiveState } from '../../core/state.js';
import { CUSTOMER_TYPES } from '../common.js';
import { written, writtenAddress, type ExportNames } from '../export-names.js';
import { customerLabel, normalizeContact, sortContacts } from './normalize.js';

const KNOWN_TYPES: ReadonlySet<string> = new Set(CUSTOMER_TYPES);

export function exportCustomers(live: LiveState, names: ExportNames): ExportResult {
  const result: ExportResult = { objects: [], skipped: [] };
  const customers = [...live.customers].sort((a, b) => compareText(a.externalReference ?? '', b.externalReference ?? '') || compareText(a.id, b.id));
  for (const customer of customers) {
    const reference = customer.externalReference;
    if (!reference) {
      result.skipped.push({
        kind: 'Customer',
        liveId: customer.id,
        label: customerLabel(customer),
        reason: 'it has no externalReference, the identity a manifest names a customer by',
      });
      continue;
    }
    const values = names.values('CUSTOMER', live.values[customer.id]);
    for (const field of values.skipped)
      result.skipped.push({
        kind: 'Customer',
        liveId: customer.id,
        label: customerLabel(customer),
        part: `customFields.${field}`,
        reason: 'no manifest can set a value of this field',
      });
    const contacts = live.contacts[customer.id];
    const manifest = written({
      kind: 'Customer',
      externalReference: reference,
      name: customer.name,
      // A type this version does not know is left out: a manifest without `type` keeps the live one.
      type: customer.type && KNOWN_TYPES.has(customer.type) ? customer.type : undefined,
      address: writtenAddress(customer.address),
      phoneNumber: customer.phoneNumber,
      email: customer.email,
      website: customer.website,
      contacts: contacts && contacts.length > 0 ? sortContacts(contacts.map(normalizeContact)).map((c) => written(c)) : undefined,
      customFields: values.values,
    });
    result.objects.push({ kind: 'Customer', identity: reference, liveId: customer.id, manifest });
  }
  return result;
}
