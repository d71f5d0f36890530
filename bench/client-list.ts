/**
 * Client listing: 10,000 customers from a sandbox with 30 ms latency added to every request.
 *
 * - tug's way: page size 1000, page 0 first, then the other 9 pages concurrently through the rate
 *   scheduler with the production default limits — expect exactly 10 page requests + 1 token request.
 * - the naive way, in the same run: page size 20, one page after the other (500 requests), no limiter.
 */
import { TrackunitClient } from '../src/trackunit/client.js';
import { clientConfig, DEFAULT_LIMITS, type ApiFamily, type FamilyLimit } from '../src/trackunit/config.js';
import { customersApi } from '../src/trackunit/endpoints/customers.js';
import { figures, round, table } from './lib/report.js';
import { spawnSandbox } from './lib/sandbox-process.js';

const CUSTOMERS = 10_000;
const LATENCY_MS = 30;
const auth = {
  flow: 'v2' as const,
  clientId: 'sandbox-key',
  clientSecret: 'sandbox-key-secret',
  scopes: ['account.view', 'account.customer.manage'],
};

interface Count {
  pages: number;
  tokens: number;
  other: number;
}

async function countRequests(url: string, since: number): Promise<Count & { last: number }> {
  const { entries } = (await (await fetch(`${url}/_sandbox/requests?since=${since}`)).json()) as { entries: Array<{ seq: number; route?: string }> };
  const pages = entries.filter((e) => e.route === 'customers.list').length;
  const tokens = entries.filter((e) => e.route?.startsWith('auth.')).length;
  return { pages, tokens, other: entries.length - pages - tokens, last: entries.at(-1)?.seq ?? since };
}

const sandbox = await spawnSandbox(['--seed', 'empty', '--customers', String(CUSTOMERS), '--latency-ms', String(LATENCY_MS)]);
try {
  // tug: production default limits, page size 1000.
  const client = new TrackunitClient(clientConfig({ irisUrl: sandbox.url, authUrl: sandbox.url, auth }));
  let t0 = performance.now();
  const customers = await customersApi(client).list();
  const tugMs = performance.now() - t0;
  const tugCount = await countRequests(sandbox.url, 0);
  await client.close();
  if (customers.length !== CUSTOMERS) throw new Error(`listed ${customers.length} customers, expected ${CUSTOMERS}`);

  // Naive: size 20, sequential pages, no rate limiter (what a hand-written sync script does).
  const unlimited = Object.fromEntries(Object.keys(DEFAULT_LIMITS).map((f) => [f, { ratePerSecond: 100_000, burst: 100_000, maxInFlight: 1 }])) as Record<ApiFamily, FamilyLimit>;
  const naive = new TrackunitClient(clientConfig({ irisUrl: sandbox.url, authUrl: sandbox.url, auth, limits: unlimited }));
  t0 = performance.now();
  let naiveItems = 0;
  for (let page = 0, totalPages = 1; page < totalPages; page += 1) {
    const res = await naive.request<{ totalPages: number; content: unknown[] }>({ family: 'customers', method: 'GET', path: '/api/customer/v1/customers', query: { page, size: 20 } });
    totalPages = res.body.totalPages;
    naiveItems += res.body.content.length;
  }
  const naiveMs = performance.now() - t0;
  const naiveCount = await countRequests(sandbox.url, tugCount.last);
  await naive.close();
  if (naiveItems !== CUSTOMERS) throw new Error(`naive listing got ${naiveItems} customers`);

  console.log(`Listing ${CUSTOMERS} customers, ${LATENCY_MS} ms added latency per request:`);
  table([
    ['tug: page requests', tugCount.pages],
    ['tug: token requests', tugCount.tokens],
    ['tug: other requests', tugCount.other],
    ['tug: wall time (ms)', round(tugMs, 0)],
    ['naive: page requests (size 20, sequential)', naiveCount.pages],
    ['naive: wall time (ms)', round(naiveMs, 0)],
    ['speed-up (naive / tug)', `${round(naiveMs / tugMs, 1)}x`],
  ]);
  figures('client-list', {
    customers: CUSTOMERS,
    latencyMs: LATENCY_MS,
    tugPageRequests: tugCount.pages,
    tugTokenRequests: tugCount.tokens,
    tugOtherRequests: tugCount.other,
    tugWallMs: round(tugMs, 0),
    naivePageRequests: naiveCount.pages,
    naiveWallMs: round(naiveMs, 0),
    ratio: round(naiveMs / tugMs, 1),
  });
} finally {
  await sandbox.stop();
}
