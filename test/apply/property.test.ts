/**
 * Acceptance (issue 6), the convergence property: for a random desired state AND a random starting
 * account, plan → apply → plan again is empty, without errors, every change applied, the apply's own
 * convergence check passing.
 *
 * Both sides come from the generator of test/plan/property.test.ts (copied below, trimmed: a test file
 * cannot be imported without running its tests). The starting account is a second random model, seeded
 * into the demo account by seedFromDesired, and then made reachable — a state apply can bring to the
 * desired one, since the documented refusals are plan errors, not apply bugs:
 *   - a definition key means the same type, entity type and currency on both sides, and the live options
 *     are a prefix of the desired ones (removing an option needs `replacements`);
 *   - a contract both sides name is bound to the desired customer (the Rental API cannot move it).
 * Everything else varies freely: depots and customers created, updated, deleted (prune) or left alone;
 * marked or unmarked customers; contacts added, changed, removed; values set, changed, cleared; items
 * created, changed, moved to another asset, or left behind (reported as warnings: the Rental API cannot
 * remove them); contracts on the live side that no manifest names. While applying, some routes are
 * slowed (1–25 ms, so concurrent changes reach the API in any order) and, in half the runs, 10 % of
 * writes are committed and their response dropped (creates are then looked up, not sent twice).
 *
 * One sandbox for the file, its store reset to the demo seed per run; a fresh state directory (lock,
 * journal) per run. Runs: APPLY_PROPERTY_RUNS (default 100). Replay a counterexample:
 *   APPLY_PROPERTY_SEED=<seed> APPLY_PROPERTY_PATH=<path> npx vitest run test/apply/property.test.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyExitCode, applyPlan } from '../../src/apply/index.js';
import { defaultProjectConfig, type ProjectConfig } from '../../src/config/load.js';
import type { KindName } from '../../src/config/project.js';
import type { ManifestSet } from '../../src/manifests/index.js';
import { validateDocuments } from '../../src/manifests/validate.js';
import { parseYaml } from '../../src/manifests/yaml.js';
import { toDesiredState } from '../../src/plan/desired.js';
import { runPlan } from '../../src/plan/run-plan.js';
import { startSandbox, Store, type SandboxHandle } from '../../src/sandbox/index.js';
import { seedStore } from '../../src/sandbox/seed.js';
import type { TrackunitClient } from '../../src/trackunit/client.js';
import { seedFromDesired } from '../support/seed-from-desired.js';
import { sandboxClient } from '../trackunit/helpers.js';

const NUM_RUNS = Number(process.env.APPLY_PROPERTY_RUNS ?? 100);
const REPLAY = process.env.APPLY_PROPERTY_SEED
  ? { seed: Number(process.env.APPLY_PROPERTY_SEED), ...(process.env.APPLY_PROPERTY_PATH ? { path: process.env.APPLY_PROPERTY_PATH } : {}) }
  : {};
const DEMO = (() => {
  const store = new Store('sandbox:demo');
  seedStore(store, { kind: 'demo' });
  return store.toSnapshot();
})();
const OWNED = DEMO.assets.filter((a) => a.owned).map((a) => ({ id: a.id, serial: a.serialNumber as string, pin: a.telemetry.pin }));
const DAY = 86_400_000;
const BASE = Date.UTC(2026, 0, 5);
type Doc = Record<string, unknown>;

// ---- generators (from test/plan/property.test.ts) ------------------------------------------------------

const CHARS = [...'abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789æøåÆØÅé-_.,:;#&@!?*()[]{}<>|"\'`~$%^+=/\\'];
const text = (maxLength = 14) =>
  fc
    .oneof(
      { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom(...CHARS), minLength: 1, maxLength }) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength }) },
    )
    .filter((t) => /\S/.test(t));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
const pick = <T>(list: readonly T[], n: number): T | undefined => (list.length === 0 ? undefined : list[n % list.length]);
const double = (min: number, max: number) => fc.double({ min, max, noNaN: true });
const addressArb = fc.record(
  { streetAddress: text(), zipCode: fc.stringMatching(/^[0-9]{4}$/), city: text(), country: fc.constantFrom('DK', 'Denmark', 'SE') },
  { requiredKeys: [] },
);
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
  { name: text(), email: maybe(fc.constant('c@example.com')), phoneNumber: maybe(fc.constantFrom('+4520112233', '20 11 22 33')), title: maybe(text()) },
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
const itemArb = fc.record({
  asset: fc.nat(), by: fc.nat(2), gapDays: fc.nat(10), gapHours: fc.constantFrom(0, 0, 7, 13), days: fc.integer({ min: 0, max: 40 }),
  openEnded: fc.boolean(), styles: fc.tuple(dateStyle, dateStyle, dateStyle, dateStyle), rate: maybe(rateArb),
  delivery: maybe(addressArb), pickup: maybe(addressArb), dates: fc.boolean(),
});
const contractArb = fc.record({
  customer: fc.nat(), status: fc.constantFrom('OPEN', 'RESERVED', 'CANCELLED', 'COMPLETED'), start: maybe(fc.tuple(fc.nat(300), dateStyle)),
  end: maybe(fc.tuple(fc.nat(300), dateStyle)), depot: maybe(fc.nat()), items: fc.array(itemArb, { maxLength: 4 }), fields: fieldsArb,
});
const modelArb = fc.record({
  defs: fc.array(defArb, { maxLength: 6 }), depots: fc.array(depotArb, { maxLength: 4 }), customers: fc.array(customerArb, { maxLength: 4 }),
  assets: fc.uniqueArray(assetArb, { selector: (a) => a.asset, maxLength: 8 }), contracts: fc.array(contractArb, { maxLength: 4 }),
  prune: fc.subarray(['Depot', 'Customer'] as KindName[]), block: fc.boolean(),
});
type Model = typeof modelArb extends fc.Arbitrary<infer T> ? T : never;
type DefSeed = Model['defs'][number];
type ValueSeed = typeof valueSeed extends fc.Arbitrary<infer T> ? T : never;

// ---- build: seeds → valid manifest documents (from test/plan/property.test.ts) -------------------------

const OFFSETS = ['+01:00', '+02:00', '-05:00', '+05:30', '-09:30', '+14:00', '-12:00', '+00:00'];
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

const rectangle = ([lon, lat, size]: [number, number, number]) => ({
  type: 'Polygon', coordinates: [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]],
});

type ItemSeed = Model['contracts'][number]['items'][number];

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

function build(m: Model): Doc[] {
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

function toManifestSet(docs: Doc[], block: boolean): ManifestSet {
  const clean = docs.map((d) => JSON.parse(JSON.stringify(d)) as Doc);
  const yaml = clean.map((d) => (block ? stringify(d) : `${JSON.stringify(d)}\n`)).join('---\n');
  const parsed = parseYaml(yaml, 'manifests/generated.yaml');
  const validated = validateDocuments(parsed.documents);
  return { documents: validated.documents, diagnostics: [...parsed.diagnostics, ...validated.diagnostics], files: ['manifests/generated.yaml'], documentCount: parsed.documents.length };
}

// ---- the starting account: a second model, made reachable --------------------------------------------

/** Live definition i shares desired definition i's key (same type) when `same[i]`; then entity type, currency and a prefix of the options follow. */
function reachableModel(desired: Model, live: Model, same: boolean[]): Model {
  const defs = live.defs.map((l, i) => {
    const d = desired.defs[i];
    if (!d || (!same[i] && d.type !== l.type)) return l;
    const options = d.options.slice(0, Math.min(d.options.length, l.options.length));
    return { ...l, type: d.type, entityType: d.entityType, currency: d.currency, options };
  });
  return { ...live, defs };
}

/** Live contracts the manifests also name are bound to the desired customer (a sync creates it when missing). */
function rebind(liveDocs: Doc[], desiredDocs: Doc[]): Doc[] {
  const customerOf = new Map(desiredDocs.filter((d) => d.kind === 'Contract').map((d) => [d.externalReference, d.customer]));
  return liveDocs.map((d) => (d.kind === 'Contract' && customerOf.has(d.externalReference) ? { ...d, customer: customerOf.get(d.externalReference) } : d));
}

/** Routes that get extra latency in a run, so concurrent changes finish in varying order. */
const SLOW_ROUTES = ['custom-fields.definitions.create', 'custom-fields.definitions.update', 'custom-fields.values.set', 'sites', 'customers', 'assets', 'rental'];
const latencyArb = fc.uniqueArray(fc.record({ match: fc.constantFrom(...SLOW_ROUTES), latencyMs: fc.integer({ min: 1, max: 25 }) }), { selector: (r) => r.match, maxLength: 3 });
const scenarioArb = fc.record({
  desired: modelArb, live: modelArb, sameKeys: fc.array(fc.boolean(), { maxLength: 6 }), marked: fc.boolean(), latency: latencyArb, commitDrop: fc.constantFrom(0, 0.1),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

// ---- the property ------------------------------------------------------------------------------------

let sandbox: SandboxHandle;
let client: TrackunitClient;
let baseDir: string;

function resetStore(target: Store): void {
  const fresh = Store.fromSnapshot(structuredClone(DEMO));
  for (const name of ['sites', 'customers', 'contacts', 'definitions', 'values', 'assets', 'contracts', 'contractItems', 'pendingSyncs'] as const) {
    const map = target[name] as Map<string, unknown>;
    map.clear();
    for (const [id, record] of fresh[name] as Map<string, unknown>) map.set(id, record);
  }
  target.customerAssets = fresh.customerAssets;
  target.account = fresh.account;
  (target as unknown as { idCounter: number }).idCounter = DEMO.idCounter;
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, store: Store.fromSnapshot(structuredClone(DEMO)) });
  client = sandboxClient(sandbox);
  baseDir = await mkdtemp(join(tmpdir(), 'tug-apply-property-'));
});
afterAll(async () => {
  await client?.close();
  await sandbox?.close();
  await rm(baseDir, { recursive: true, force: true });
});

/** Desired manifests validated; the account reset and seeded with the reachable live model. */
function prepare(s: Scenario): ManifestSet {
  const desiredDocs = build(s.desired);
  const manifests = toManifestSet(desiredDocs, s.desired.block);
  expect(manifests.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`)).toEqual([]);
  const live = toManifestSet(rebind(build(reachableModel(s.desired, s.live, s.sameKeys)), desiredDocs), s.live.block);
  // A rebound contract may name a customer the live model has no manifest for: the seeding sync creates it.
  expect(live.diagnostics.filter((d) => !/^customer ".*" is not defined/.test(d.message)).map((d) => d.message)).toEqual([]);
  resetStore(sandbox.store);
  seedFromDesired(sandbox.store, toDesiredState(live.documents), { markCustomers: s.marked });
  return manifests;
}

/** Identities that exist more than once in the account (a create sent twice). */
function duplicated(store: Store): string[] {
  const refs = [
    ...[...store.sites.values()].map((x) => `site ${x.externalReference ?? x.id}`),
    ...[...store.customers.values()].map((x) => `customer ${x.externalReference ?? x.id}`),
    ...[...store.definitions.values()].map((x) => `definition ${x.key}`),
  ];
  return refs.filter((r, i) => refs.indexOf(r) !== i);
}

/** What a run of 100 or more is expected to have exercised at least once. */
const COVERAGE = ['create', 'update', 'delete'].flatMap((op) => ['Depot', 'Customer'].map((kind) => `${op} ${kind}`)).concat(
  ['create CustomFieldDefinition', 'update CustomFieldDefinition', 'update Asset', 'sync Asset', 'create Contract'],
);

const errorsOf = (problems: Array<{ severity: string; kind: string; id: string; message: string }>) =>
  problems.filter((p) => p.severity === 'error').map((p) => `${p.kind}/${p.id}: ${p.message}`);

describe('apply from a random account to a random desired state', () => {
  it(`then plan is empty (${NUM_RUNS} generated pairs)`, async () => {
    const applied = new Map<string, number>();
    const warnings = new Map<string, number>();
    let runs = 0;
    let runsWithChanges = 0;
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const manifests = prepare(s);
        const stateDir = await mkdtemp(join(baseDir, 'run-'));
        const config: ProjectConfig = {
          ...defaultProjectConfig(stateDir), stateDir, concurrency: 4, prune: { kinds: s.desired.prune },
          safety: { maxDeletes: {}, maxUpdates: {}, guardEmptyDesiredState: false },
        };
        const plan = () => runPlan({ client, config, manifests, isoStateDir: baseDir });
        const { plan: first } = await plan();
        expect(errorsOf(first.problems)).toEqual([]);
        sandbox.setFaults([...s.latency, { match: 'writes', commitDrop: s.commitDrop }]);
        const report = await applyPlan({ client, plan: first, config, manifests, stateDir, isoStateDir: baseDir }).finally(() => sandbox.setFaults([]));
        expect(report.outcomes.filter((o) => o.status !== 'applied')).toEqual([]);
        expect(report.convergence).toEqual({ ok: true, checked: true, remaining: [] });
        expect(applyExitCode(report)).toBe(0);
        const { plan: after } = await plan();
        expect(after.changes.map((c) => ({ key: c.key, patch: c.patch }))).toEqual([]);
        expect(errorsOf(after.problems)).toEqual([]);
        expect(duplicated(sandbox.store)).toEqual([]);
        runs += 1;
        if (first.changes.length > 0) runsWithChanges += 1;
        for (const c of first.changes) applied.set(`${c.op} ${c.kind}`, (applied.get(`${c.op} ${c.kind}`) ?? 0) + 1);
        for (const p of after.problems) {
          const gist = p.message.replace(/item \S+/, 'item …').slice(0, 60);
          warnings.set(gist, (warnings.get(gist) ?? 0) + 1);
        }
      }),
      { numRuns: NUM_RUNS, ...REPLAY },
    );
    const table = [...applied].sort().map(([k, n]) => `${k} ${n}`).join(', ');
    console.log(`[apply property] ${runs} runs in ${Math.round(performance.now() - started)} ms, ${runsWithChanges} with changes; applied: ${table}`);
    console.log(`[apply property] problems left after apply (warnings): ${JSON.stringify(Object.fromEntries(warnings))}`);
    console.log(`[apply property] faults injected while applying: ${JSON.stringify(sandbox.faults.injected)}`);
    if (NUM_RUNS >= 100 && process.env.APPLY_PROPERTY_SEED === undefined) expect(COVERAGE.filter((k) => !applied.has(k))).toEqual([]);
  }, 300_000);
});

describe('counterexamples kept as tests', () => {
  /**
   * Regression (found probing contacts): two contacts with one name in a customer ("Ops desk" for the day
   * and the night shift) were matched by name only, so every plan after apply PATCHed both titles and the
   * convergence check failed. Identical contacts are now paired first, then the rest by name.
   */
  it('two contacts that differ only in title converge', async () => {
    resetStore(sandbox.store);
    const desk = { name: 'Ops desk', email: 'ops@example.dk', phoneNumber: '+4570102030' };
    const manifests = toManifestSet([{ kind: 'Customer', externalReference: 'CUST-9', name: 'Nine', contacts: [{ ...desk, title: 'Day' }, { ...desk, title: 'Night' }] }], false);
    const stateDir = await mkdtemp(join(baseDir, 'contacts-'));
    const config = { ...defaultProjectConfig(stateDir), stateDir };
    const { plan } = await runPlan({ client, config, manifests, isoStateDir: baseDir });
    const report = await applyPlan({ client, plan, config, manifests, stateDir, isoStateDir: baseDir });
    expect([...sandbox.store.contacts.values()].map((x) => x.title).sort()).toEqual(['Day', 'Night']);
    expect(report.convergence.remaining).toEqual([]);
    expect((await runPlan({ client, config, manifests, isoStateDir: baseDir })).plan.changes).toEqual([]);
  });
});
