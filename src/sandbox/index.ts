/**
 * `startSandbox()`: the Trackunit emulator, in-process, on loopback. Tests, the demo, benchmarks and
 * `tug sandbox` all start it through this one function.
 *
 *   const sandbox = await startSandbox({ port: 0, seed: 'demo' });
 *   // sandbox.url → http://127.0.0.1:54321  (serves /token, /token/v2, /api/..., /public/api/aemp/...)
 *   await sandbox.close();
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../state/atomic-write.js';
import { systemClock, type Clock } from './clock.js';
import { FaultInjector, parseFaults, type FaultRule } from './faults.js';
import { IsoRateLimiter, RestRateLimiter, DOCUMENTED_ISO_LIMITS, type IsoLimits, type RateLimits } from './rate-limit.js';
import { RequestLog } from './request-log.js';
import { Router } from './router.js';
import { authRoutes } from './routes/auth.js';
import { apiRoutes } from './routes/index.js';
import { seedStore, type SeedKind } from './seed.js';
import { SandboxServer } from './server.js';
import { Store, type StoreSnapshot } from './store.js';
import { DEFAULT_CREDENTIALS, TokenStore, V1_TOKEN_SECONDS, V2_TOKEN_SECONDS, type SandboxCredentials, type TokenLifetimes } from './auth/tokens.js';
import { createAdminHandler } from './admin.js';

export interface SandboxOptions {
  /** 0 picks a free port (tests). Default 8787. */
  port?: number;
  /** Loopback only: 127.0.0.1 (default) or ::1. */
  host?: string;
  seed?: SeedKind;
  /** Number of owned assets to generate (demo default 30, empty default 0). */
  assets?: number;
  /** Extra generated customers (for benchmarks). */
  customers?: number;
  /** Seed name for deterministic data; defaults to the seed kind. */
  seedName?: string;
  /** JSON file to load the account from (if it exists) and save it to on every change. */
  dataFile?: string;
  /** A store built by the caller (tests); wins over seed and dataFile loading. */
  store?: Store;
  clock?: Clock;
  credentials?: SandboxCredentials;
  tokenLifetimes?: Partial<TokenLifetimes>;
  /** Per-family token buckets for the REST APIs; unlimited when absent. */
  rateLimits?: RateLimits;
  /** Override the ISO export's documented limits (tests shrink the windows). */
  isoLimits?: Partial<IsoLimits>;
  /** Fault rules, or their text form (`rental:429=0.1;writes:commit-drop=0.02`). */
  faults?: FaultRule[] | string;
  faultSeed?: string | number;
  /** Latency added to every API request, in milliseconds. */
  latencyMs?: number;
  /** Account features; IrisX is on by default. */
  features?: { irisx?: boolean };
  requestLogLimit?: number;
  /** Where to report sandbox bugs (500s); default: stderr. */
  onInternalError?: (error: unknown, route: string) => void;
}

export interface SandboxHandle {
  /** Base URL for both the auth server and the Iris APIs, e.g. http://127.0.0.1:54321 */
  url: string;
  port: number;
  store: Store;
  clock: Clock;
  tokens: TokenStore;
  requestLog: RequestLog;
  faults: FaultInjector;
  restLimiter: RestRateLimiter;
  isoLimiter: IsoRateLimiter;
  setFaults(rules: FaultRule[] | string, seed?: string | number): void;
  setRateLimits(limits: RateLimits): void;
  /** Write the data file now (no-op without `dataFile`). */
  save(): Promise<void>;
  /** Stop serving (open connections are closed) and flush the data file. */
  close(): Promise<void>;
}

function loadOrSeed(options: SandboxOptions): { store: Store; loaded: boolean } {
  if (options.store) return { store: options.store, loaded: true };
  if (options.dataFile && existsSync(options.dataFile)) {
    let snapshot: StoreSnapshot;
    try {
      snapshot = JSON.parse(readFileSync(options.dataFile, 'utf8')) as StoreSnapshot;
    } catch (error) {
      throw new Error(`cannot read sandbox data file ${options.dataFile}: ${(error as Error).message}`);
    }
    return { store: Store.fromSnapshot(snapshot), loaded: true };
  }
  const kind = options.seed ?? 'demo';
  const store = new Store(`sandbox:${options.seedName ?? kind}`);
  if (options.features?.irisx === false) store.account.features.irisx = false;
  seedStore(store, { kind, assets: options.assets, customers: options.customers, seed: options.seedName });
  return { store, loaded: false };
}

/** Debounced, atomic (write + rename) persistence of the store to a JSON file. */
function persistence(store: Store, file: string | undefined) {
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  const save = async () => {
    if (!file) return;
    if (timer) clearTimeout(timer);
    timer = undefined;
    const text = JSON.stringify(store.toSnapshot());
    writing = writing.then(() => writeFileAtomic(file, text));
    await writing;
  };
  if (file) {
    store.events.on('changed', () => {
      timer ??= setTimeout(() => void save().catch((e: unknown) => process.stderr.write(`sandbox: saving ${file} failed: ${String(e)}\n`)), 50);
    });
  }
  return save;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const host = options.host ?? '127.0.0.1';
  if (!['127.0.0.1', '::1', 'localhost'].includes(host)) {
    throw new Error(`the sandbox listens on loopback only (127.0.0.1 or ::1), not ${host}`);
  }
  const clock = options.clock ?? systemClock;
  const { store, loaded } = loadOrSeed(options);
  if (options.features?.irisx !== undefined) store.account.features.irisx = options.features.irisx;
  const credentials = options.credentials ?? DEFAULT_CREDENTIALS;
  const tokens = new TokenStore(clock, {
    v1Seconds: options.tokenLifetimes?.v1Seconds ?? V1_TOKEN_SECONDS,
    v2Seconds: options.tokenLifetimes?.v2Seconds ?? V2_TOKEN_SECONDS,
  });
  const requestLog = new RequestLog(options.requestLogLimit);
  const faults = new FaultInjector(typeof options.faults === 'string' ? parseFaults(options.faults) : (options.faults ?? []), options.faultSeed);
  const restLimiter = new RestRateLimiter(clock, options.rateLimits);
  const isoLimiter = new IsoRateLimiter(clock, { ...DOCUMENTED_ISO_LIMITS, ...options.isoLimits });

  const router = new Router();
  router.add(...authRoutes({ tokens, credentials: () => credentials }));
  router.add(...apiRoutes({ store, clock }));

  const save = persistence(store, options.dataFile);
  const handle = {} as SandboxHandle;
  const server = new SandboxServer({
    router,
    store,
    clock,
    tokens,
    log: requestLog,
    faults,
    restLimiter,
    isoLimiter,
    latencyMs: options.latencyMs ?? 0,
    admin: createAdminHandler(() => handle),
    onInternalError:
      options.onInternalError ??
      ((error, route) => process.stderr.write(`sandbox: internal error in ${route}: ${(error as Error)?.stack ?? String(error)}\n`)),
  });
  const address = await server.listen(options.port ?? 8787, host);
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  if (options.dataFile && !loaded) await save();

  Object.assign(handle, {
    url: `http://${hostPart}:${address.port}`,
    port: address.port,
    store,
    clock,
    tokens,
    requestLog,
    faults,
    restLimiter,
    isoLimiter,
    setFaults: (rules: FaultRule[] | string, seed?: string | number) => faults.set(typeof rules === 'string' ? parseFaults(rules) : rules, seed),
    setRateLimits: (limits: RateLimits) => restLimiter.configure(limits),
    save,
    close: async () => {
      await server.close();
      await save();
    },
  } satisfies SandboxHandle);
  return handle;
}

export { FakeClock, systemClock, type Clock } from './clock.js';
export { Store } from './store.js';
export { parseFaults, type FaultRule } from './faults.js';
export { DEFAULT_CREDENTIALS, type SandboxCredentials } from './auth/tokens.js';
export type { RequestLogEntry } from './request-log.js';
