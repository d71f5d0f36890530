/**
 * Generators of valid manifest sets for the property tests (test/plan/property.test.ts: a seeded-equal
 * account plans empty; test/apply/property.test.ts: apply from a random account converges). Plain fast-check
 * seeds are turned into documents by build(): valid by construction (distinct keys, references that
 * resolve, values that fit their definitions, non-overlapping items, dates in many spellings).
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import type { KindName } from '../../src/config/project.js';
import type { ManifestSet } from '../../src/manifests/index.js';
import { validateDocuments } from '../../src/manifests/validate.js';
import { parseYaml } from '../../src/manifests/yaml.js';
import { Store } from '../../src/sandbox/index.js';
import { seedStore } from '../../src/sandbox/seed.js';

export const DEMO = (() => {
  const store = new Store('sandbox:demo');
  seedStore(store, { kind: 'demo' });
  return store.toSnapshot();
})();
export const OWNED = DEMO.assets.filter((a) => a.owned).map((a) => ({ id: a.id, serial: a.serialNumber as string, pin: a.telemetry.pin }));
export const DAY = 86_400_000;
export const BASE = Date.UTC(2026, 0, 5);
export type Doc = Record<string, unknown>;

// ---- generators: plain seeds, turned into documents by build() --------------------------------------

const CHARS = [...'abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789æøåÆØÅé-_.,:;#&@!?*()[]{}<>|"\'`~$%^+=/\\'];
/** Mostly awkward-but-plausible text (YAML and markdown metacharacters), sometimes any Unicode; never blank. */
export const text = (maxLength = 14) =>
  fc
    .oneof(
      { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom(...CHARS), minLength: 1, maxLength }) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength }) },
    )
    .filter((t) => /\S/.test(t));
export const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
export const pick = <T>(list: readonly T[], n: number): T | undefined => (list.length === 0 ? undefined : list[n % list.length]);
const double = (min: number, max: number) => fc.double({ min, max, noNaN: true });
const addressArb = fc.record(
  { streetAddress: text(), zipCode: fc.stringMatching(/^[0-9]{4}$/), city: text(), country: fc.constantFrom('DK', 'Denmark', 'SE') },
  { requiredKeys: [] },
);
/** Raw material for one custom field value; valueFor() shapes it to the definition it lands on. */
const valueSeed = fc.record({
  text: text(20), num: double(-1e6, 1e6), int: fc.integer({ min: -5000, max: 5000 }), bool: fc.boolean(), day: fc.nat(3000),
  pick: fc.nat(), picks: fc.array(fc.nat(), { maxLength: 3 }), json: fc.jsonValue({ maxDepth: 2 }), clear: fc.nat(9).map((n) => n === 0),
});
const fieldsArb = fc.array(fc.record({ def: fc.nat(), value: valueSeed }), { maxLength: 3 });
const translationArb = fc.record({ language: fc.constantFrom('da', 'de', 'sv', 'en'), title: text(), description: maybe(text()) });
const defArb = fc.record({
  entityType: fc.constantFrom('ASSET', 'SITE', 'CUSTOMER', 'RENTAL_CONTRACT'),
  type: fc.constantFrom('STRING', 'NUMBER', 'MONETARY', 'DROPDOWN', 'BOOLEAN', 'DATE', 'EMAIL', 'JSON'),
  title: text(), description: maybe(text(30)), uiVisible: maybe(fc.boolean()), uiEditable: maybe(fc.boolean()),
  scope: maybe(fc.constantFrom('ACCOUNT', 'ACCOUNT_WRITE_GLOBAL_READ')),
  translations: fc.uniqueArray(translationArb, { selector: (t) => t.language, maxLength: 2 }),
  bounds: fc.tuple(maybe(fc.integer({ min: -1000, max: 0 })), maybe(fc.integer({ min: 1, max: 100_000 }))),
  isInteger: maybe(fc.boolean()), unitSi: maybe(fc.constantFrom('L', 'kg', 'h')), maximumLength: maybe(fc.integer({ min: 20, max: 200 })),
  currency: fc.constantFrom('DKK', 'EUR'), options: fc.uniqueArray(text(10), { minLength: 1, maxLength: 4 }), multiSelect: maybe(fc.boolean()),
});
const depotArb = fc.record({
  name: text(), description: maybe(text(30)), address: maybe(addressArb),
  area: maybe(fc.tuple(double(-179, 179), double(-89, 89), double(0.0001, 0.5))), fields: fieldsArb,
});
const contactArb = fc.record(
  // Names from a small pool half the time: two contacts of one customer often share a name, or are identical.
  { name: fc.oneof(fc.constantFrom('Ops desk', 'Anna Berg'), text()), email: maybe(fc.constant('c@example.com')), phoneNumber: maybe(fc.constantFrom('+4520112233', '20 11 22 33')), title: maybe(text()) },
  { requiredKeys: ['name'] },
);
const customerArb = fc.record({
  name: text(), type: maybe(fc.constantFrom('CONTRACTOR', 'DEALER', 'RENTAL', 'OTHER')), address: maybe(addressArb),
  phoneNumber: maybe(fc.constantFrom('+4586174520', '86 17 45 20')), email: maybe(fc.constantFrom('info@example.dk', 'a.b@c.example.com')),
  website: maybe(fc.constantFrom('https://example.dk', 'example.dk')), contacts: maybe(fc.array(contactArb, { maxLength: 2 })), fields: fieldsArb,
});
const assetArb = fc.record({
  asset: fc.nat(OWNED.length - 1), by: fc.constantFrom('serialNumber', 'serialLower', 'assetId', 'pin'), erp: fc.boolean(), depot: maybe(fc.nat()),
  rentalStatus: maybe(fc.constantFrom('ON_RENT', 'AVAILABLE', 'RESERVED', 'IN_REPAIR', 'RETURNED')), fields: fieldsArb,
});
const dateStyle = fc.nat(5);
const rateArb = fc.record({
  unitPrice: fc.oneof(fc.nat(50_000), double(0, 1e5)), currency: fc.constantFrom('DKK', 'EUR'),
  period: fc.constantFrom('HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'FIXED'),
});
/** An item's period is laid out after the previous item on the same asset (gap, then length): never overlapping. */
const itemArb = fc.record({
  asset: fc.nat(), by: fc.nat(2), gapDays: fc.nat(10), gapHours: fc.constantFrom(0, 0, 7, 13), days: fc.integer({ min: 0, max: 40 }),
  openEnded: fc.boolean(), styles: fc.tuple(dateStyle, dateStyle, dateStyle, dateStyle), rate: maybe(rateArb),
  delivery: maybe(addressArb), pickup: maybe(addressArb), dates: fc.boolean(),
});
const contractArb = fc.record({
  customer: fc.nat(), status: fc.constantFrom('OPEN', 'RESERVED', 'CANCELLED', 'COMPLETED'), start: maybe(fc.tuple(fc.nat(300), dateStyle)),
  end: maybe(fc.tuple(fc.nat(300), dateStyle)), depot: maybe(fc.nat()), items: fc.array(itemArb, { maxLength: 4 }), fields: fieldsArb,
});
export const modelArb = fc.record({
  defs: fc.array(defArb, { maxLength: 6 }), depots: fc.array(depotArb, { maxLength: 4 }), customers: fc.array(customerArb, { maxLength: 4 }),
  assets: fc.uniqueArray(assetArb, { selector: (a) => a.asset, maxLength: 8 }), contracts: fc.array(contractArb, { maxLength: 4 }),
  prune: fc.subarray(['Depot', 'Customer'] as KindName[]), block: fc.boolean(),
});
export type Model = typeof modelArb extends fc.Arbitrary<infer T> ? T : never;
type DefSeed = Model['defs'][number];
type ValueSeed = typeof valueSeed extends fc.Arbitrary<infer T> ? T : never;

// ---- build: seeds → valid manifest documents ---------------------------------------------------------

const OFFSETS = ['+01:00', '+02:00', '-05:00', '+05:30', '-09:30', '+14:00', '-12:00', '+00:00'];
/** One instant in one of several spellings: plain date (midnight UTC only), Z, .000Z, or a local time with offset. */
function spell(ms: number, style: number): string {
  if (style === 0 && ms % DAY === 0) return new Date(ms).toISOString().slice(0, 10);
  if (style <= 1) return new Date(ms).toISOString().replace('.000Z', 'Z');
  if (style === 2) return new Date(ms).toISOString();
  const offset = OFFSETS[(style * 3 + ms / 3_600_000) % OFFSETS.length] as string;
  const minutes = (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4)));
  return `${new Date(ms + minutes * 60_000).toISOString().slice(0, 19)}${offset}`;
}

function defDoc(seed: DefSeed, i: number): Doc {
  const [min, max] = seed.bounds;
  const doc: Doc = { kind: 'CustomFieldDefinition', key: `f${i}${seed.type.toLowerCase()}`, entityType: seed.entityType, type: seed.type, title: seed.title };
  Object.assign(doc, { description: seed.description, uiVisible: seed.uiVisible, uiEditable: seed.uiEditable, scope: seed.scope });
  if (seed.translations.length > 0) doc.translations = seed.translations;
  if (seed.type === 'NUMBER') Object.assign(doc, { minimum: min, maximum: max, isInteger: seed.isInteger, unitSi: seed.isInteger ? undefined : seed.unitSi });
  if (seed.type === 'MONETARY') Object.assign(doc, { currency: seed.currency, minimum: min === undefined ? undefined : 0, maximum: max });
  if (seed.type === 'STRING') doc.maximumLength = seed.maximumLength;
  if (seed.type === 'DROPDOWN') Object.assign(doc, { options: seed.options, multiSelect: seed.multiSelect });
  return doc;
}

const clamp = (n: number, d: Doc) => Math.min(Math.max(n, (d.minimum as number | undefined) ?? -Infinity), (d.maximum as number | undefined) ?? Infinity);
const STANDARD = [{ key: 'licensePlate', entityType: 'ASSET', type: 'STRING' }, { key: 'purchaseDate', entityType: 'ASSET', type: 'DATE' }];

function valueFor(d: Doc, v: ValueSeed): unknown {
  if (v.clear) return null;
  const options = (d.options as string[] | undefined) ?? [];
  switch (d.type) {
    case 'STRING': return v.text.slice(0, (d.maximumLength as number | undefined) ?? 255);
    case 'NUMBER': return clamp(d.isInteger ? v.int : v.num, d);
    case 'MONETARY': return { amount: clamp(v.num, d), currency: d.currency };
    // Distinct options: Trackunit refuses a multi-select value that repeats one (tug validate does not; reported).
    case 'DROPDOWN': return d.multiSelect ? [...new Set(v.picks.map((p) => options[p % options.length]))] : options[v.pick % options.length];
    case 'BOOLEAN': return v.bool;
    case 'DATE': return new Date(BASE + v.day * DAY).toISOString().slice(0, 10);
    case 'EMAIL': return `user${v.pick % 100}@example.com`;
    default: return v.json;
  }
}

function customFields(defs: Doc[], entityType: string, fields: Model['depots'][number]['fields']): Doc | undefined {
  const candidates = [...defs.filter((d) => d.entityType === entityType), ...(entityType === 'ASSET' ? STANDARD : [])];
  const out: Doc = {};
  for (const f of fields) {
    const d = pick(candidates, f.def);
    if (d) out[d.key as string] = valueFor(d, f.value);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function rectangle([lon, lat, size]: [number, number, number]) {
  return { type: 'Polygon', coordinates: [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]] };
}

type ItemSeed = Model['contracts'][number]['items'][number];

/** One item on `asset`, named by serial number, asset id or (when its Asset manifest sets one) ERP number. */
function itemDoc(item: ItemSeed, externalReference: string, asset: number, on: number, off: number | undefined, erp: string | undefined): Doc {
  const owned = OWNED[asset]!;
  const ref = item.by === 2 && erp ? { externalReference: erp } : item.by === 1 ? { assetId: owned.id } : { serialNumber: owned.serial };
  const [s1, s2, s3, s4] = item.styles;
  return {
    externalReference, asset: ref, onRentDate: spell(on, s1), offRentDate: off === undefined ? undefined : spell(off, s2),
    rentalRate: item.rate, deliveryAddress: item.delivery, pickupAddress: item.pickup,
    ...(item.dates ? { deliveryDate: spell(on, s3), pickupDate: spell(off ?? on + DAY, s4) } : {}),
  };
}

/** Every item, keyed `contract/item`, laid out per asset one after the other; only an asset's last item may be open-ended. */
function itemDocs(m: Model, assetDocs: Map<number, Doc>): Map<string, Doc> {
  const items = m.contracts.flatMap((c, ci) => c.items.map((item, ii) => ({ ci, ii, item, asset: item.asset % OWNED.length })));
  const last = new Map(items.map((x) => [x.asset, x]));
  const cursor = new Map<number, number>();
  const out = new Map<string, Doc>();
  for (const x of items) {
    const on = (cursor.get(x.asset) ?? BASE) + x.item.gapDays * DAY + x.item.gapHours * 3_600_000;
    const off = last.get(x.asset) === x && x.item.openEnded ? undefined : on + x.item.days * DAY;
    cursor.set(x.asset, off ?? on);
    const erp = assetDocs.get(x.asset)?.externalReference as string | undefined;
    out.set(`${x.ci}/${x.ii}`, itemDoc(x.item, `K-${x.ci}-${x.ii}`, x.asset, on, off, erp));
  }
  return out;
}

function contractDocs(m: Model, defs: Doc[], customers: string[], depots: string[], assetDocs: Map<number, Doc>): Doc[] {
  const items = itemDocs(m, assetDocs);
  return m.contracts.flatMap((c, ci) => {
    const customer = pick(customers, c.customer);
    if (customer === undefined) return [];
    const start = BASE + (c.start?.[0] ?? 0) * DAY;
    return [{
      kind: 'Contract', externalReference: `K-${ci}`, customer, status: c.status,
      startDate: c.start ? spell(start, c.start[1]) : undefined, endDate: c.end ? spell(start + c.end[0] * DAY, c.end[1]) : undefined,
      hiringDepot: c.depot === undefined ? undefined : pick(depots, c.depot),
      items: c.items.map((_, ii) => items.get(`${ci}/${ii}`)), customFields: customFields(defs, 'RENTAL_CONTRACT', c.fields),
    }];
  });
}

function assetDoc(a: Model['assets'][number], defs: Doc[], depots: string[]): Doc {
  const owned = OWNED[a.asset]!;
  const serialNumber = a.by === 'serialLower' ? owned.serial.toLowerCase() : owned.serial;
  const identity = a.by === 'assetId' ? { assetId: owned.id } : a.by === 'pin' && owned.pin ? { pin: owned.pin } : { serialNumber };
  return {
    kind: 'Asset', ...identity, externalReference: a.erp ? `ERP-${a.asset}` : undefined, rentalStatus: a.rentalStatus,
    owningDepot: a.depot === undefined ? undefined : pick(depots, a.depot), customFields: customFields(defs, 'ASSET', a.fields),
  };
}

export function build(m: Model): Doc[] {
  const defs = m.defs.map(defDoc);
  const depots = m.depots.map((d, i) => ({
    kind: 'Depot', key: `depot-${i}`, name: d.name, description: d.description,
    address: d.address ?? (d.area ? undefined : {}), area: d.area ? rectangle(d.area) : undefined, customFields: customFields(defs, 'SITE', d.fields),
  }));
  const customers = m.customers.map(({ fields, ...c }, i) => ({
    kind: 'Customer', externalReference: `CUST-${i}`, ...c, customFields: customFields(defs, 'CUSTOMER', fields),
  }));
  const depotKeys = depots.map((d) => d.key);
  const assets = new Map(m.assets.map((a) => [a.asset, assetDoc(a, defs, depotKeys)]));
  const contracts = contractDocs(m, defs, customers.map((c) => c.externalReference), depotKeys, assets);
  return [...defs, ...depots, ...customers, ...assets.values(), ...contracts];
}

/** The documents as one YAML file, in JSON flow style or `yaml`'s block style (undefined members dropped). */
export function toManifestSet(docs: Doc[], block: boolean): ManifestSet {
  const clean = docs.map((d) => JSON.parse(JSON.stringify(d)) as Doc);
  const text = clean.map((d) => (block ? stringify(d) : `${JSON.stringify(d)}\n`)).join('---\n');
  const parsed = parseYaml(text, 'manifests/generated.yaml');
  const validated = validateDocuments(parsed.documents);
  const diagnostics = [...parsed.diagnostics, ...validated.diagnostics];
  return { documents: validated.documents, diagnostics, files: ['manifests/generated.yaml'], documentCount: parsed.documents.length };
}

/** Put the served store back to a snapshot (default the demo seed), ids included, so each run starts from the same account. */
export function resetStore(target: Store, snapshot: ReturnType<Store['toSnapshot']> = DEMO): void {
  const fresh = Store.fromSnapshot(structuredClone(snapshot));
  for (const name of ['sites', 'customers', 'contacts', 'definitions', 'values', 'assets', 'contracts', 'contractItems', 'pendingSyncs'] as const) {
    const map = target[name] as Map<string, unknown>;
    map.clear();
    for (const [id, record] of fresh[name] as Map<string, unknown>) map.set(id, record);
  }
  target.customerAssets = fresh.customerAssets;
  target.account = fresh.account;
  (target as unknown as { idCounter: number }).idCounter = snapshot.idCounter;
}
