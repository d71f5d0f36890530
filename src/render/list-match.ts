/**
 * Which entry of a list before a change is which entry after it, so a plan can name the entry a change
 * touches. The RFC 6902 patch in a Change is positional: removing the first of three contacts reads as
 * "contacts[0] renamed, contacts[1] renamed, contacts[2] removed", while apply sends one DELETE. Matching
 * entries by identity makes the words agree with the requests.
 *
 * - `contacts`: identical first, then by name, like the planner (src/kinds/customer/contacts.ts), since a
 *   contact has no external reference and two may share a name (a day and a night "Ops desk");
 * - lists of text (dropdown options, multi-select values): by value;
 * - lists of objects with a unique natural key on each side: by that key (contract items by
 *   externalReference, translations by language);
 * - anything else (polygon coordinates): no identity, so `matchList` answers undefined and the caller
 *   stays positional.
 *
 * Pure: only the two lists and the name of the field holding them.
 */
import { canonicalJson, type Json } from '../core/canonical.js';

type JsonObject = { [key: string]: Json };

/** One entry present on both sides, by index, with the label that names it. */
export interface MatchedEntry {
  before: number;
  after: number;
  label: string;
}

/** One entry present on one side only. */
export interface LoneEntry {
  index: number;
  label: string;
}

export interface ListMatch {
  /** Entries on both sides, in the order of the list before. */
  pairs: MatchedEntry[];
  /** Entries only before, in their order. */
  removed: LoneEntry[];
  /** Entries only after, in their order. */
  added: LoneEntry[];
  /** The entries are their own identities (text): an added or removed one needs no value shown. */
  scalar: boolean;
  /** The identities in list order, when the entries on both sides stand in another order (else undefined). */
  reordered?: { before: string[]; after: string[] };
}

/** Natural keys of object lists, tried in this order; the first that is unique text on both sides wins. */
const NATURAL_KEYS = ['externalReference', 'key', 'language'] as const;

/** Contact fields that tell same-named contacts apart in a label, in order of preference. */
const CONTACT_QUALIFIERS = ['title', 'email', 'phoneNumber'] as const;

const isObject = (value: Json | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** How the entries of `before` and `after` pair up, or undefined when the list has no identity. */
export function matchList(field: string | undefined, before: Json[], after: Json[]): ListMatch | undefined {
  const all = [...before, ...after];
  if (field === 'contacts' && all.every((c) => isObject(c) && typeof c.name === 'string')) {
    return matchContacts(before as JsonObject[], after as JsonObject[]);
  }
  if (all.every((v) => typeof v === 'string')) return matchBy(before as string[], after as string[], (v) => v, true);
  if (!all.every(isObject)) return undefined;
  const key = NATURAL_KEYS.find((k) => uniqueText(before as JsonObject[], k) && uniqueText(after as JsonObject[], k));
  if (key === undefined) return undefined;
  return matchBy(before as JsonObject[], after as JsonObject[], (v) => v[key] as string, false);
}

function uniqueText(list: JsonObject[], key: string): boolean {
  const seen = new Set<string>();
  for (const entry of list) {
    const value = entry[key];
    if (typeof value !== 'string' || seen.has(value)) return false;
    seen.add(value);
  }
  return true;
}

/** Match equal identities in list order (a repeated text matches its repeats one by one). */
function matchBy<T>(before: T[], after: T[], idOf: (entry: T) => string, scalar: boolean): ListMatch {
  const waiting = new Map<string, number[]>();
  after.forEach((entry, index) => {
    const id = idOf(entry);
    waiting.set(id, [...(waiting.get(id) ?? []), index]);
  });
  const pairs: MatchedEntry[] = [];
  const removed: LoneEntry[] = [];
  before.forEach((entry, index) => {
    const id = idOf(entry);
    const match = waiting.get(id)?.shift();
    if (match === undefined) removed.push({ index, label: JSON.stringify(id) });
    else pairs.push({ before: index, after: match, label: JSON.stringify(id) });
  });
  const left = new Set([...waiting.values()].flat());
  const added = after.flatMap((entry, index) => (left.has(index) ? [{ index, label: JSON.stringify(idOf(entry)) }] : []));
  const result: ListMatch = { pairs, removed, added, scalar };
  // Lists matched by value or key are either sorted by that identity (then never reordered) or ordered
  // on purpose (dropdown options: the order Manager shows): a new order is a change to show.
  if (pairs.some((pair, i) => i > 0 && pair.after < (pairs[i - 1]?.after ?? 0))) {
    result.reordered = { before: before.map(idOf), after: after.map(idOf) };
  }
  return result;
}

/**
 * The planner's pairing: identical contacts first, then the remaining ones by name. Contacts are sorted
 * by the normaliser, so their order means nothing and is never reported.
 */
function matchContacts(before: JsonObject[], after: JsonObject[]): ListMatch {
  const beforeJson = before.map(canonicalJson);
  const unmatched = before.map((_, index) => index);
  const pairs: Array<{ before: number; after: number }> = [];
  const pending: number[] = [];
  after.forEach((contact, index) => {
    const json = canonicalJson(contact);
    const same = unmatched.findIndex((b) => beforeJson[b] === json);
    if (same >= 0) pairs.push({ before: unmatched.splice(same, 1)[0] ?? 0, after: index });
    else pending.push(index);
  });
  const added: number[] = [];
  for (const index of pending) {
    const named = unmatched.findIndex((b) => before[b]?.name === after[index]?.name);
    if (named >= 0) pairs.push({ before: unmatched.splice(named, 1)[0] ?? 0, after: index });
    else added.push(index);
  }
  const labelsBefore = contactLabels(before, after);
  const labelsAfter = contactLabels(after, before);
  return {
    pairs: pairs.sort((a, b) => a.before - b.before).map((p) => ({ ...p, label: labelsBefore[p.before] ?? '' })),
    removed: unmatched.sort((a, b) => a - b).map((index) => ({ index, label: labelsBefore[index] ?? '' })),
    added: added.map((index) => ({ index, label: labelsAfter[index] ?? '' })),
    scalar: false,
  };
}

/**
 * `"Jens Holm"`, or `"Ops desk" (Night shift)` when the name alone is not enough: another contact of
 * that name on either side. The qualifier is the first of title, e-mail and phone that no other contact
 * of that name on the same side shares (else the first one set).
 */
function contactLabels(side: JsonObject[], other: JsonObject[]): string[] {
  const count = (list: JsonObject[], name: Json | undefined) => list.filter((c) => c.name === name).length;
  return side.map((contact) => {
    const name = JSON.stringify(contact.name);
    if (count(side, contact.name) < 2 && count(other, contact.name) < 2) return name;
    const namesakes = side.filter((c) => c !== contact && c.name === contact.name);
    const set = CONTACT_QUALIFIERS.map((field) => contact[field]).filter((v): v is string => typeof v === 'string' && v !== '');
    const distinct = CONTACT_QUALIFIERS.find((field) => typeof contact[field] === 'string' && contact[field] !== '' && namesakes.every((c) => c[field] !== contact[field]));
    const qualifier = distinct === undefined ? set[0] : (contact[distinct] as string);
    return qualifier === undefined ? name : `${name} (${qualifier})`;
  });
}
