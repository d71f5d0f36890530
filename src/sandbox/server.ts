/**
 * The sandbox HTTP server: one node:http server on loopback serving the auth server and every Iris
 * API of routes/. The request pipeline applies, in order: route match → injected latency / drop /
 * hang → bearer auth (401) → IrisX entitlement and v2 scopes (403) → rate limits (429) → injected
 * status faults → handler → optional commit-then-drop → response. Every request lands in the log.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from './clock.js';
import { FaultInjector, type FaultDecision } from './faults.js';
import { HttpError, type Reply, type RequestContext } from './http.js';
import { IsoRateLimiter, RestRateLimiter, type Admission } from './rate-limit.js';
import type { RequestLog } from './request-log.js';
import type { RouteDef, Router } from './router.js';
import type { Store } from './store.js';
import type { Principal, TokenStore } from './auth/tokens.js';

/** Request bodies above this size are refused with 413 [assumed limit]. */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface ServerDeps {
  router: Router;
  store: Store;
  clock: Clock;
  tokens: TokenStore;
  log: RequestLog;
  faults: FaultInjector;
  restLimiter: RestRateLimiter;
  isoLimiter: IsoRateLimiter;
  /** Latency added to every request (`--latency-ms`). */
  latencyMs: number;
  /** Admin endpoints under /_sandbox (not part of the Trackunit API; not logged). */
  admin: (req: IncomingMessage, res: ServerResponse, path: string, body: string) => Promise<boolean>;
  /** Unexpected handler errors (bugs) are reported here as well as answered with 500. */
  onInternalError: (error: unknown, route: string) => void;
}

interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  at: number;
  started: number;
  path: string;
  query: string;
  route?: RouteDef;
  requestBytes: number;
  fault?: string;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, 'payload_too_large', `request body larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(req: IncomingMessage, raw: string): unknown {
  if (raw.trim() === '') return undefined;
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  try {
    return JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'malformed_request', 'Request body is not valid JSON');
  }
}

function bearerPrincipal(req: IncomingMessage, tokens: TokenStore): Principal {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) {
    throw new HttpError(401, 'unauthorized', 'Invalid or missing bearer token in Authorization header', undefined, {
      'WWW-Authenticate': 'Bearer',
    });
  }
  const principal = tokens.verify(match[1]);
  if (!principal) {
    throw new HttpError(401, 'unauthorized', 'Invalid or missing bearer token in Authorization header', undefined, {
      'WWW-Authenticate': 'Bearer error="invalid_token"',
    });
  }
  return principal;
}

function authorize(route: RouteDef, principal: Principal, store: Store): void {
  if (route.irisx && !store.account.features.irisx) {
    throw new HttpError(403, 'forbidden', 'This API requires an IrisX subscription on the account');
  }
  if (principal.flow === 'v2' && route.scopes && !route.scopes.some((s) => principal.scopes.includes(s))) {
    throw new HttpError(403, 'forbidden', `User not allowed to make this request: needs one of the scopes ${route.scopes.join(', ')}`);
  }
}

function rateLimited(admission: Admission): HttpError | undefined {
  if (admission.allowed) return undefined;
  return new HttpError(429, 'too_many_requests', `Too many requests: ${admission.reason}`, undefined, {
    'Retry-After': String(admission.retryAfterSeconds),
  });
}

export class SandboxServer {
  readonly server: Server;

  constructor(private readonly deps: ServerDeps) {
    this.server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
      this.handle(req, res).catch((error) => {
        this.deps.onInternalError(error, 'pipeline');
        if (!res.headersSent) res.destroy();
      });
    });
  }

  async listen(port: number, host: string): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return this.server.address() as AddressInfo;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const rawBody = await readBody(req).catch((e: unknown) => e);
    if (path.startsWith('/_sandbox/')) {
      if (await this.deps.admin(req, res, path, typeof rawBody === 'string' ? rawBody : '')) return;
    }
    const ex: Exchange = {
      req,
      res,
      at: this.deps.clock.now(),
      started: performance.now(),
      path,
      query: url.search,
      requestBytes: typeof rawBody === 'string' ? Buffer.byteLength(rawBody) : 0,
    };
    try {
      if (rawBody instanceof Error) throw rawBody;
      await this.dispatch(ex, url, rawBody as string);
    } catch (error) {
      if (error instanceof HttpError) return this.send(ex, { status: error.status, body: error.body(), headers: error.headers });
      this.deps.onInternalError(error, ex.route?.name ?? path);
      this.send(ex, { status: 500, body: { status: 500, code: 'internal_error', message: 'Unexpected error in the sandbox' } });
    }
  }

  private async dispatch(ex: Exchange, url: URL, rawBody: string): Promise<void> {
    const { deps } = this;
    const match = deps.router.match(ex.req.method ?? 'GET', ex.path);
    if (match.kind === 'not-found') throw new HttpError(404, 'not_found', `No endpoint ${ex.req.method} ${ex.path}`);
    if (match.kind === 'method-not-allowed') {
      throw new HttpError(405, 'method_not_allowed', `Method ${ex.req.method} not allowed on ${ex.path}`, undefined, {
        Allow: match.allowed.join(', '),
      });
    }
    const route = match.route;
    ex.route = route;

    const decision = deps.faults.decide(route);
    const latency = deps.latencyMs + decision.latencyMs;
    if (latency > 0) await sleep(latency);
    if (decision.action === 'drop' || decision.action === 'hang') return this.abandon(ex, decision);

    const principal = route.public ? undefined : bearerPrincipal(ex.req, deps.tokens);
    if (principal) authorize(route, principal, deps.store);
    const limited = this.admit(route, ex);
    if (limited) throw limited;
    if (decision.action === 'status') return this.injectStatus(ex, decision);

    const ctx: RequestContext = {
      method: route.method,
      path: ex.path,
      params: match.params,
      query: url.searchParams,
      headers: ex.req.headers,
      body: parseBody(ex.req, rawBody),
      rawBody,
      principal,
      store: deps.store,
      clock: deps.clock,
      origin: `http://${ex.req.headers.host ?? 'localhost'}`,
    };
    const reply = await route.handler(ctx);
    if (decision.action === 'none' && decision.commitDrop) {
      ex.fault = 'commit-drop';
      return this.abandon(ex, { action: 'drop', latencyMs: 0 });
    }
    this.send(ex, reply);
  }

  private admit(route: RouteDef, ex: Exchange): HttpError | undefined {
    if (route.family === 'iso-fleet' || route.family === 'iso-single') {
      const kind = route.family === 'iso-fleet' ? 'fleet' : 'single';
      return rateLimited(this.deps.isoLimiter.admit(kind, `${route.method} ${ex.path}${ex.query}`));
    }
    return rateLimited(this.deps.restLimiter.admit(route.family));
  }

  private injectStatus(ex: Exchange, decision: Extract<FaultDecision, { action: 'status' }>): void {
    ex.fault = String(decision.status);
    const messages: Record<number, [string, string]> = {
      429: ['too_many_requests', 'Too many requests (injected fault)'],
      500: ['internal_error', 'Unexpected error (injected fault)'],
      502: ['bad_gateway', 'Bad gateway (injected fault)'],
      503: ['service_unavailable', 'Service unavailable (injected fault)'],
      504: ['gateway_timeout', 'Gateway timeout (injected fault)'],
    };
    const [code, message] = messages[decision.status] ?? ['injected_fault', 'Injected fault'];
    const headers = decision.status === 429 ? { 'Retry-After': String(decision.retryAfterSeconds) } : undefined;
    this.send(ex, { status: decision.status, body: { status: decision.status, code, message }, headers });
  }

  /** Drop (destroy the socket now) or hang (never answer; the client gives up). */
  private abandon(ex: Exchange, decision: { action: 'drop' | 'hang'; latencyMs: number }): void {
    ex.fault ??= decision.action;
    this.record(ex, 0, 0);
    if (decision.action === 'drop') ex.req.socket.destroy();
  }

  private send(ex: Exchange, reply: Reply): void {
    const headers: Record<string, string> = { ...reply.headers };
    let payload = '';
    if (reply.text !== undefined) {
      payload = reply.text;
      headers['Content-Type'] = reply.contentType ?? 'text/plain; charset=utf-8';
    } else if (reply.body !== undefined && reply.status !== 204) {
      payload = JSON.stringify(reply.body);
      headers['Content-Type'] = 'application/json';
    }
    headers['Content-Length'] = String(Buffer.byteLength(payload));
    ex.res.writeHead(reply.status, headers);
    ex.res.end(payload);
    this.record(ex, reply.status, Buffer.byteLength(payload));
  }

  private record(ex: Exchange, status: number, responseBytes: number): void {
    this.deps.log.add({
      at: ex.at,
      method: ex.req.method ?? 'GET',
      path: ex.path,
      query: ex.query,
      route: ex.route?.name,
      family: ex.route?.family,
      write: ex.route?.write ?? false,
      status,
      durationMs: performance.now() - ex.started,
      ...(ex.fault ? { fault: ex.fault } : {}),
      requestBytes: ex.requestBytes,
      responseBytes,
    });
  }
}
