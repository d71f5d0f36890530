/**
 * A customer's contacts, desired vs live, matched first by being identical, then by name (a contact has
 * no external reference): the
 * manifest's list is the whole list once it is given, so unmatched live contacts are deleted, unmatched
 * manifest contacts created, matched ones PATCHed with their changed fields only. A manifest without
 * `contacts` leaves the contacts alone.
 */
import type { PlannedRequest } from '../../core/plan.js';
import { customerWrites, type CustomerContact as LiveContact } from '../../trackunit/endpoints/customers.js';
import { changedFields, pick, withoutNulls, type JsonObject } from '../plan-helpers.js';
import type { CustomerContact } from './manifest.js';
import { normalizeContact, sortContacts } from './normalize.js';
import { compareText } from '../../core/canonical.js';

export interface ContactsPlan {
  before: JsonObject[];
  after: JsonObject[];
  requests: PlannedRequest[];
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** `customerId`: the live id, or `{id}` for a customer created by the same change. */
export function planContacts(desired: CustomerContact[], live: LiveContact[], customerId: string): ContactsPlan {
  const unmatched = [...live].sort((a, b) => byName(a, b) || compareText(a.id, b.id));
  const updates: PlannedRequest[] = [];
  const creates: PlannedRequest[] = [];
  const pending: Array<{ contact: CustomerContact; after: JsonObject }> = [];
  // First pair contacts that are identical on both sides (two contacts may share a name, e.g. a day and a
  // night "Ops desk"), then the rest by name.
  for (const contact of [...desired].sort(byName)) {
    const after = normalizeContact(contact);
    const same = unmatched.findIndex((l) => changedFields(normalizeContact(l), after).length === 0);
    if (same >= 0) unmatched.splice(same, 1);
    else pending.push({ contact, after });
  }
  // A contact has no identity of its own: should a create's response be lost, apply finds what it made
  // by every field it sets, among contacts that did not exist when this plan was made.
  const existing = live.map((l) => l.id).sort(compareText);
  for (const { contact, after } of pending) {
    const index = unmatched.findIndex((l) => l.name === contact.name);
    if (index < 0) {
      creates.push(customerWrites.createContact(customerId, withoutNulls(after), { match: after, exclude: existing }));
      continue;
    }
    const [match] = unmatched.splice(index, 1);
    const fields = changedFields(normalizeContact(match!), after);
    if (fields.length > 0) {
      updates.push(customerWrites.updateContact(customerId, match!.id, pick(after, fields)));
    }
  }
  const deletes: PlannedRequest[] = unmatched.map((l) => customerWrites.removeContact(customerId, l.id));
  return {
    before: sortContacts(live.map(normalizeContact)),
    after: sortContacts(desired.map(normalizeContact)),
    requests: [...deletes, ...updates, ...creates],
  };
}
