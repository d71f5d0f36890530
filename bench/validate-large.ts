/**
 * Validating a large manifest repository: 50,000 documents over 100 files (10 custom field
 * definitions, 50 depots, 2,000 customers, 10,000 assets, 37,940 contracts of 1–3 items), generated
 * into a temporary directory, valid by construction (references resolve, values follow their
 * definitions, dates in order, no asset on two overlapping items), then `loadManifestSet` — the whole
 * of `tug validate`: glob, read, parse with positions, schemas, cross-document checks — timed once,
 * cold, as the CLI runs it.
 *
 * Memory: a worker thread samples the process RSS every 20 ms (RSS is process-wide, and a worker
 * keeps sampling while the main thread is busy in synchronous parsing and validation), plus a final
 * reading and the OS high-water mark. heapUsed is the main isolate's: sampled every 20 ms whenever the
 * event loop turns (between file reads) and read once more at the end.
 *
 * Target: < 5 s and < 500 MB peak RSS, with 0 diagnostics.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { loadProjectConfig } from '../src/config/load.js';
import { formatText } from '../src/manifests/diagnostics.js';
import { loadManifestSet, type ManifestSet } from '../src/manifests/index.js';
import { createRng, pick } from '../src/sandbox/random.js';
import { figures, round, table } from './lib/report.js';

const COUNTS = { definitions: 10, depots: 50, customers: 2_000, assets: 10_000, contracts: 37_940 };
const FILES = { customers: 4, assets: 20, contracts: 74 }; // + definitions.yaml + depots.yaml = 100
const TARGET = { seconds: 5, peakRssMb: 500 };
const MB = 1024 * 1024;
const HEADER = '# yaml-language-server: $schema=../../schemas/manifest.schema.json\n';

const rng = createRng('validate-large');
const int = (min: number, max: number) => min + Math.floor(rng() * (max - min + 1));
const pad = (n: number, width: number) => String(n).padStart(width, '0');
const q = (s: string) => JSON.stringify(s); // a JSON string is a valid YAML double-quoted scalar

// ---------------------------------------------------------------------------------------------------
// Workload

const CITIES = [
  ['Aarhus', '8000', 10.2039, 56.1629], ['København', '2300', 12.5683, 55.6761], ['Odense', '5000', 10.4024, 55.4038],
  ['Aalborg', '9000', 9.9217, 57.0488], ['Esbjerg', '6700', 8.4594, 55.4765], ['Vejle', '7100', 9.5357, 55.7093],
  ['Randers', '8900', 10.0364, 56.4607], ['Kolding', '6000', 9.4722, 55.4904], ['Horsens', '8700', 9.8508, 55.8607],
  ['Roskilde', '4000', 12.0803, 55.6415],
] as const;
const STREETS = ['Industrivej', 'Håndværkervej', 'Vestergade', 'Østergade', 'Erhvervsvej', 'Stationsvej', 'Fabriksvej', 'Havnegade'];
const SURNAMES = ['Hansen', 'Jensen', 'Nielsen', 'Pedersen', 'Andersen', 'Christensen', 'Larsen', 'Sørensen', 'Rasmussen', 'Jørgensen'];
const FIRST = ['Mette', 'Lars', 'Anne', 'Peter', 'Sofie', 'Anders', 'Camilla', 'Henrik', 'Ida', 'Jonas'];
const TRADES = ['Byg', 'Entreprise', 'Anlæg', 'Kloak & Jord', 'Montage', 'Service', 'Maskinudlejning', 'Tømrer & Snedker'];
const CUSTOMER_TYPES = ['CONTRACTOR', 'CONTRACTOR', 'CONTRACTOR', 'RENTAL', 'SERVICE', 'DEALER', 'DISTRIBUTOR', 'OEM', 'OTHER'];
const CATEGORIES = ['Earthmoving', 'Material handling', 'Access', 'Compressed air', 'Power tools'];
const PREFIXES = ['WNCE0506', 'JCB3CX4T', 'VCEC220E', 'CAT0320G', 'B4SE1911', 'MAN14400', 'DHKHEWD0', 'KBCKX019'];
const ASSET_STATUSES = ['AVAILABLE', 'AVAILABLE', 'AVAILABLE', 'IN_REPAIR', 'RETURNED', 'TRANSFER', 'PICK_UP_READY', 'OTHER'];
const PERIODS = [['DAILY', 450, 2400], ['WEEKLY', 1800, 9500], ['MONTHLY', 6000, 48000], ['HOURLY', 90, 400], ['FIXED', 2000, 60000]] as const;

/** Days since 2026-01-01 → `YYYY-MM-DD`. */
const DAY0 = Date.UTC(2026, 0, 1);
const NOW_DAY = 180; // 2026-06-30: decides which contracts are history, running or booked
const day = (d: number) => new Date(DAY0 + d * 86_400_000).toISOString().slice(0, 10);

interface Item {
  asset: number;
  from: number;
  /** undefined: open-ended. */
  to: number | undefined;
}
interface Contract {
  customer: number;
  status: 'OPEN' | 'RESERVED' | 'CANCELLED' | 'COMPLETED';
  items: Item[];
}

const depotOf = (asset: number) => asset % COUNTS.depots;
const depotKey = (depot: number) => `depot-${pad(depot + 1, 2)}`;
const serialOf = (asset: number) => `${PREFIXES[asset % PREFIXES.length]}${pad(asset + 1, 9)}`;
const assetRef = (asset: number) => `ERP-A-${pad(asset + 1, 6)}`;
const customerRef = (customer: number) => `CUST-${100_001 + customer}`;

/** Pick a free asset at random (linear probe past assets held by an open-ended item). */
function freeAsset(cursor: number[], taken: Set<number>): number {
  let asset = int(0, COUNTS.assets - 1);
  while (!Number.isFinite(cursor[asset]!) || taken.has(asset)) asset = (asset + 1) % COUNTS.assets;
  return asset;
}

/** Status from the dates, as an ERP would have it; some of each period are cancelled. */
function statusOf(items: Item[]): Contract['status'] {
  if (rng() < 0.08) return 'CANCELLED';
  const start = Math.min(...items.map((i) => i.from));
  const end = Math.max(...items.map((i) => i.to ?? Infinity));
  if (end < NOW_DAY) return 'COMPLETED';
  return start > NOW_DAY ? 'RESERVED' : 'OPEN';
}

/**
 * Each asset has its own timeline: an item takes the next free period of its asset, so no two items
 * of one asset ever overlap (whatever the contract status). A few running rentals are open-ended,
 * which retires their asset from later contracts.
 */
function planContracts(): Contract[] {
  const cursor = Array.from({ length: COUNTS.assets }, () => int(0, 90));
  const contracts: Contract[] = [];
  for (let c = 0; c < COUNTS.contracts; c += 1) {
    const taken = new Set<number>();
    const items: Item[] = [];
    for (let k = int(1, 3); k > 0; k -= 1) {
      const asset = freeAsset(cursor, taken);
      taken.add(asset);
      const from = cursor[asset]! + int(1, 6);
      const openEnded = from <= NOW_DAY && from > NOW_DAY - 60 && rng() < 0.15;
      const to = openEnded ? undefined : from + int(1, 45);
      cursor[asset] = to === undefined ? Infinity : to + 1;
      items.push({ asset, from, to });
    }
    contracts.push({ customer: int(0, COUNTS.customers - 1), status: statusOf(items), items });
  }
  return contracts;
}

// ---------------------------------------------------------------------------------------------------
// YAML text

function address(indent: string, city: number, n: number): string {
  const [name, zip] = CITIES[city % CITIES.length]!;
  return `${indent}streetAddress: ${q(`${STREETS[n % STREETS.length]} ${(n % 180) + 1}`)}\n${indent}zipCode: '${zip}'\n${indent}city: ${name}\n${indent}country: DK\n`;
}

function definitionsYaml(): string {
  const defs = [
    `key: rentalCategory\nentityType: ASSET\ntype: DROPDOWN\ntitle: Rental category\noptions: [${CATEGORIES.map(q).join(', ')}]\n`,
    'key: maintenanceIntervalHours\nentityType: ASSET\ntype: NUMBER\ntitle: Maintenance interval (hours)\nminimum: 50\nmaximum: 2000\nisInteger: true\n',
    'key: purchasePrice\nentityType: ASSET\ntype: MONETARY\ntitle: Purchase price\ncurrency: DKK\nminimum: 0\n',
    'key: lastInspection\nentityType: ASSET\ntype: DATE\ntitle: Last safety inspection\n',
    'key: depotManager\nentityType: SITE\ntype: STRING\ntitle: Depot manager\nmaximumLength: 100\n',
    'key: openingHours\nentityType: SITE\ntype: STRING\ntitle: Opening hours\n',
    'key: creditLimit\nentityType: CUSTOMER\ntype: MONETARY\ntitle: Credit limit\ncurrency: DKK\nminimum: 0\nmaximum: 5000000\n',
    "key: cvrNumber\nentityType: CUSTOMER\ntype: STRING\ntitle: CVR number\npattern: '^[0-9]{8}$'\n",
    "key: purchaseOrder\nentityType: RENTAL_CONTRACT\ntype: STRING\ntitle: Customer purchase order\npattern: '^PO-[0-9]{5,8}$'\n",
    'key: siteContactPhone\nentityType: RENTAL_CONTRACT\ntype: PHONE_NUMBER\ntitle: Site contact phone\n',
  ];
  return HEADER + defs.map((d) => `kind: CustomFieldDefinition\n${d}`).join('---\n');
}

function depotYaml(d: number): string {
  const [city, , lon, lat] = CITIES[d % CITIES.length]!;
  let out = `kind: Depot\nkey: ${depotKey(d)}\nname: ${q(`Depot ${pad(d + 1, 2)} ${city}`)}\naddress:\n${address('  ', d, d * 7)}`;
  if (d % 3 === 0) {
    const [x, y] = [round(lon + (d % 7) * 0.01, 4), round(lat + (d % 5) * 0.01, 4)];
    const ring = [[x, y], [x + 0.004, y], [x + 0.004, y + 0.002], [x, y + 0.002], [x, y]];
    out += `area:\n  type: Polygon\n  coordinates:\n    - [${ring.map(([a, b]) => `[${round(a!, 4)}, ${round(b!, 4)}]`).join(', ')}]\n`;
  }
  return `${out}customFields:\n  depotManager: ${q(`${FIRST[d % 10]} ${SURNAMES[(d * 3) % 10]}`)}\n  openingHours: Mon–Fri 06:30–16:00\n`;
}

function customerYaml(c: number): string {
  const surname = SURNAMES[c % SURNAMES.length]!;
  const domain = `${surname.toLowerCase().replace('ø', 'oe')}-${c + 1}.example`;
  let out = `kind: Customer\nexternalReference: ${customerRef(c)}\nname: ${q(`${surname} ${TRADES[c % TRADES.length]} ${c % 2 ? 'ApS' : 'A/S'}`)}\ntype: ${pick(rng, CUSTOMER_TYPES)}\n`;
  out += `address:\n${address('  ', c, c)}phoneNumber: '+45${pad(20_000_000 + c * 37, 8)}'\nemail: info@${domain}\n`;
  if (c % 3 === 0) out += `website: https://${domain}\n`;
  const contacts = c % 4;
  if (contacts > 0) {
    out += 'contacts:\n';
    for (let k = 0; k < Math.min(contacts, 2); k += 1) {
      const first = FIRST[(c + k) % FIRST.length]!;
      out += `  - name: ${q(`${first} ${surname}`)}\n    title: Site manager\n    email: ${first.toLowerCase()}@${domain}\n    phoneNumber: '+45${pad(30_000_000 + c * 11 + k, 8)}'\n`;
    }
  }
  return `${out}customFields:\n  creditLimit: { amount: ${int(5, 200) * 10_000}, currency: DKK }\n  cvrNumber: '${pad(10_000_000 + c * 4_817, 8)}'\n`;
}

function assetYaml(a: number, status: string): string {
  let out = `kind: Asset\nserialNumber: '${serialOf(a)}'\nexternalReference: ${assetRef(a)}\nrentalStatus: ${status}\nowningDepot: ${depotKey(depotOf(a))}\n`;
  out += `customFields:\n  rentalCategory: ${q(CATEGORIES[a % CATEGORIES.length]!)}\n  maintenanceIntervalHours: ${[250, 500, 1000][a % 3]}\n`;
  if (a % 2 === 0) out += `  purchasePrice: { amount: ${int(40, 2_500) * 1_000}, currency: DKK }\n  lastInspection: '${day(int(0, 500))}'\n`;
  if (a % 5 === 0) out += `  licensePlate: ${q(`X${String.fromCharCode(65 + (a % 26))} ${pad(a % 100, 2)} ${pad(a % 1000, 3)}`)}\n`;
  return out;
}

function itemYaml(ref: string, n: number, item: Item): string {
  const asset = rng() < 0.15 ? `{ externalReference: ${assetRef(item.asset)} }` : `{ serialNumber: '${serialOf(item.asset)}' }`;
  const [period, min, max] = pick(rng, PERIODS);
  let out = `  - externalReference: ${ref}-${n}\n    asset: ${asset}\n    onRentDate: '${day(item.from)}'\n`;
  if (item.to !== undefined) out += `    offRentDate: '${day(item.to)}'\n`;
  out += `    rentalRate: { unitPrice: ${int(min, max)}, currency: DKK, period: ${period} }\n`;
  if (rng() < 0.3) {
    out += `    deliveryAddress:\n${address('      ', item.asset, item.from)}    deliveryDate: '${day(item.from)}T07:00:00+01:00'\n`;
    if (item.to !== undefined) out += `    pickupDate: '${day(item.to)}T15:00:00+01:00'\n`;
  }
  return out;
}

function contractYaml(c: number, contract: Contract): string {
  const ref = `K-${pad(c + 1, 7)}`;
  const first = contract.items[0]!;
  let out = `kind: Contract\nexternalReference: ${ref}\ncustomer: ${customerRef(contract.customer)}\nstatus: ${contract.status}\n`;
  out += `startDate: '${day(Math.min(...contract.items.map((i) => i.from)))}'\n`;
  const ends = contract.items.map((i) => i.to);
  if (ends.every((e) => e !== undefined)) out += `endDate: '${day(Math.max(...(ends as number[])))}'\n`;
  out += `hiringDepot: ${depotKey(depotOf(first.asset))}\nitems:\n`;
  contract.items.forEach((item, n) => (out += itemYaml(ref, n + 1, item)));
  const fields = [rng() < 0.4 ? `  purchaseOrder: PO-${pad(int(0, 999_999), 6)}\n` : '', rng() < 0.2 ? `  siteContactPhone: '+45${pad(int(20_000_000, 99_999_999), 8)}'\n` : ''].join('');
  return fields ? `${out}customFields:\n${fields}` : out;
}

/** Asset rental statuses that agree with the contracts: on an OPEN item → ON_RENT, only booked → RESERVED. */
function assetStatuses(contracts: Contract[]): string[] {
  const status = Array.from({ length: COUNTS.assets }, () => pick(rng, ASSET_STATUSES));
  for (const contract of contracts) {
    if (contract.status !== 'RESERVED') continue;
    for (const item of contract.items) status[item.asset] = 'RESERVED';
  }
  for (const contract of contracts) {
    if (contract.status !== 'OPEN') continue;
    for (const item of contract.items) if (item.from <= NOW_DAY && (item.to ?? Infinity) >= NOW_DAY) status[item.asset] = 'ON_RENT';
  }
  return status;
}

let writtenBytes = 0;
function write(file: string, text: string): void {
  writeFileSync(file, text);
  writtenBytes += Buffer.byteLength(text);
}

/** Write `count` documents over `files` files named `<name>-NN.yaml`. */
function writeSpread(dir: string, name: string, count: number, files: number, render: (i: number) => string): void {
  const per = Math.ceil(count / files);
  for (let f = 0; f < files; f += 1) {
    const docs: string[] = [];
    for (let i = f * per; i < Math.min(count, (f + 1) * per); i += 1) docs.push(render(i));
    write(join(dir, `${name}-${pad(f + 1, 2)}.yaml`), HEADER + docs.join('---\n'));
  }
}

function generate(root: string): Record<string, number> {
  const dir = join(root, 'manifests');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(root, 'tug.yaml'), "manifests:\n  - 'manifests/**/*.yaml'\ntrackunit:\n  irisUrl: sandbox\n");
  const contracts = planContracts();
  const statuses = assetStatuses(contracts);
  write(join(dir, 'definitions.yaml'), definitionsYaml());
  write(join(dir, 'depots.yaml'), HEADER + Array.from({ length: COUNTS.depots }, (_, d) => depotYaml(d)).join('---\n'));
  writeSpread(dir, 'customers', COUNTS.customers, FILES.customers, customerYaml);
  writeSpread(dir, 'assets', COUNTS.assets, FILES.assets, (a) => assetYaml(a, statuses[a]!));
  writeSpread(dir, 'contracts', COUNTS.contracts, FILES.contracts, (c) => contractYaml(c, contracts[c]!));
  const shape: Record<string, number> = { items: 0, openEndedItems: 0 };
  for (const contract of contracts) {
    shape[contract.status] = (shape[contract.status] ?? 0) + 1;
    shape.items! += contract.items.length;
    shape.openEndedItems! += contract.items.filter((i) => i.to === undefined).length;
  }
  return { ...shape, bytes: writtenBytes };
}

// ---------------------------------------------------------------------------------------------------
// Measuring

/** RSS high-water mark seen by a worker thread sampling every 20 ms; stop() returns it in bytes. */
function startRssSampler(): { stop: () => Promise<{ peak: number; samples: number }> } {
  const shared = new Float64Array(new SharedArrayBuffer(16));
  const code = `
    const { workerData, parentPort } = require('node:worker_threads');
    const view = new Float64Array(workerData);
    const sample = () => { const rss = process.memoryUsage.rss(); if (rss > view[0]) view[0] = rss; view[1] += 1; };
    sample();
    const timer = setInterval(sample, 20);
    parentPort.on('message', () => { clearInterval(timer); sample(); parentPort.close(); });
  `;
  const worker = new Worker(code, { eval: true, workerData: shared.buffer });
  return {
    stop: async () => {
      worker.postMessage('stop');
      await new Promise((resolve) => worker.once('exit', resolve));
      return { peak: shared[0]!, samples: shared[1]! };
    },
  };
}

/** Main-isolate heap (and RSS) sampled whenever the event loop turns, every 20 ms at most. */
function startHeapSampler(): { stop: () => { heapUsed: number; rss: number } } {
  const max = { heapUsed: 0, rss: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    max.heapUsed = Math.max(max.heapUsed, m.heapUsed);
    max.rss = Math.max(max.rss, m.rss);
  };
  sample();
  const timer = setInterval(sample, 20);
  return {
    stop: () => {
      clearInterval(timer);
      sample(); // the final reading
      return max;
    },
  };
}

/**
 * The workload is generated by a child process (this file with `--generate DIR`), so that the
 * generator's garbage is not in the measured process's RSS.
 */
function generateInChild(root: string): Record<string, number> {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--generate', root], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`generating the workload failed:\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
}

interface Measurement {
  set: ManifestSet;
  seconds: number;
  baseline: NodeJS.MemoryUsage;
  peakRss: number;
  rssSamples: number;
  heapUsedMax: number;
  osMaxRss: number;
}

/** `loadManifestSet` once, cold, as `tug validate` runs it, with memory sampled around it. */
async function measureLoad(root: string): Promise<Measurement> {
  const rssSampler = startRssSampler();
  await new Promise((resolve) => setTimeout(resolve, 50)); // let the worker start before the baseline
  const baseline = process.memoryUsage();
  const heapSampler = startHeapSampler();
  const t0 = performance.now();
  const config = await loadProjectConfig({ cwd: root, required: true });
  const set = await loadManifestSet(config, root);
  const seconds = (performance.now() - t0) / 1000;
  const heap = heapSampler.stop();
  const rss = await rssSampler.stop();
  const osMaxRss = process.resourceUsage().maxRSS * 1024;
  return { set, seconds, baseline, peakRss: Math.max(rss.peak, heap.rss), rssSamples: rss.samples, heapUsedMax: heap.heapUsed, osMaxRss };
}

function report(m: Measurement, shape: Record<string, number>, generateSeconds: number): boolean {
  const { set } = m;
  const byKind: Record<string, number> = {};
  for (const doc of set.documents) byKind[doc.manifest.kind] = (byKind[doc.manifest.kind] ?? 0) + 1;
  const ok = set.diagnostics.length === 0 && set.documentCount === 50_000;
  const met = ok && m.seconds < TARGET.seconds && m.peakRss / MB < TARGET.peakRssMb;
  for (const d of set.diagnostics.slice(0, 10)) console.log(`  ${formatText(d)}`);
  if (set.diagnostics.length > 10) console.log(`  … and ${set.diagnostics.length - 10} more`);
  table([
    ['documents (read / valid)', `${set.documentCount} / ${set.documents.length}`],
    ['by kind', Object.entries(byKind).map(([k, n]) => `${k} ${n}`).join(', ')],
    ['contracts by status', ['OPEN', 'RESERVED', 'COMPLETED', 'CANCELLED'].map((s) => `${s} ${shape[s] ?? 0}`).join(', ')],
    ['contract items (open-ended)', `${shape.items} (${shape.openEndedItems})`],
    ['files', set.files.length],
    ['YAML size (MB)', round(shape.bytes! / MB, 1)],
    ['diagnostics', set.diagnostics.length],
    ['generate (s, child process, not timed)', round(generateSeconds, 2)],
    ['loadManifestSet (s)', round(m.seconds, 2)],
    ['documents / s', Math.round(set.documentCount / m.seconds)],
    ['RSS before load (MB)', round(m.baseline.rss / MB, 0)],
    ['peak RSS (MB, sampled every 20 ms)', `${round(m.peakRss / MB, 0)} (${m.rssSamples} samples)`],
    ['peak RSS (MB, OS high-water mark)', round(m.osMaxRss / MB, 0)],
    ['heapUsed before / max (MB)', `${round(m.baseline.heapUsed / MB, 0)} / ${round(m.heapUsedMax / MB, 0)}`],
    [`target (< ${TARGET.seconds} s, < ${TARGET.peakRssMb} MB, 0 diagnostics)`, met ? 'met' : 'MISSED'],
  ]);
  figures('validate-large', {
    documents: set.documentCount,
    validDocuments: set.documents.length,
    files: set.files.length,
    contractItems: shape.items,
    yamlMb: round(shape.bytes! / MB, 1),
    seconds: round(m.seconds, 2),
    peakRssMb: round(m.peakRss / MB, 0),
    osMaxRssMb: round(m.osMaxRss / MB, 0),
    baselineRssMb: round(m.baseline.rss / MB, 0),
    heapUsedMaxMb: round(m.heapUsedMax / MB, 0),
    diagnostics: set.diagnostics.length,
    targetMet: met,
  });
  return ok;
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'tug-validate-large-'));
  try {
    const t0 = performance.now();
    const shape = generateInChild(root);
    const generateSeconds = (performance.now() - t0) / 1000;
    const measurement = await measureLoad(root);
    if (!report(measurement, shape, generateSeconds)) process.exitCode = 1;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const generateAt = process.argv.indexOf('--generate');
if (generateAt >= 0) console.log(JSON.stringify(generate(process.argv[generateAt + 1]!)));
else await main();
