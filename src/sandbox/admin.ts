/**
 * Sandbox-only control endpoints under /_sandbox/ — not part of any Trackunit API, not rate limited,
 * not logged, no auth (the sandbox listens on loopback only). They let a test or benchmark running in
 * another process read the request log, change faults, move a fake clock or expire tokens.
 *
 *   GET    /_sandbox/requests?since=SEQ   request log entries after SEQ
 *   DELETE /_sandbox/requests             clear the request log
 *   GET    /_sandbox/stats                counts: objects, tokens issued, ISO pool uses, faults injected
 *   GET    /_sandbox/state                the whole account as a --data snapshot
 *   POST   /_sandbox/faults               {"faults": "rental:429=0.1", "seed": 1} (text or rule list)
 *   POST   /_sandbox/rate-limits          {"rental": {"ratePerSecond": 10}}
 *   POST   /_sandbox/tokens/expire        every access token stops working
 *   POST   /_sandbox/clock/advance        {"ms": 900000} (only with a FakeClock)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeClock } from './clock.js';
import type { SandboxHandle } from './index.js';

function send(res: ServerResponse, status: number, body: unknown): true {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
  return true;
}

function parse(body: string): Record<string, unknown> {
  if (body.trim() === '') return {};
  return JSON.parse(body) as Record<string, unknown>;
}

export function createAdminHandler(getHandle: () => SandboxHandle) {
  return async (req: IncomingMessage, res: ServerResponse, path: string, body: string): Promise<boolean> => {
    const sandbox = getHandle();
    const route = `${req.method} ${path}`;
    try {
      switch (route) {
        case 'GET /_sandbox/requests': {
          const since = Number(new URL(req.url ?? '', 'http://x').searchParams.get('since') ?? 0);
          return send(res, 200, { entries: sandbox.requestLog.since(since) });
        }
        case 'DELETE /_sandbox/requests':
          sandbox.requestLog.clear();
          return send(res, 200, { cleared: true });
        case 'GET /_sandbox/stats':
          return send(res, 200, {
            objects: sandbox.store.summary(),
            tokensIssued: sandbox.tokens.issued,
            isoPoolUses: sandbox.isoLimiter.poolUsesTotal,
            faultsInjected: sandbox.faults.injected,
            requests: sandbox.requestLog.count(),
          });
        case 'GET /_sandbox/state':
          return send(res, 200, sandbox.store.toSnapshot());
        case 'POST /_sandbox/faults': {
          const input = parse(body);
          sandbox.setFaults((input.faults ?? []) as never, input.seed as string | number | undefined);
          return send(res, 200, { rules: sandbox.faults.rules });
        }
        case 'POST /_sandbox/rate-limits':
          sandbox.setRateLimits(parse(body) as never);
          return send(res, 200, { ok: true });
        case 'POST /_sandbox/tokens/expire':
          sandbox.tokens.expireAll();
          return send(res, 200, { expired: true });
        case 'POST /_sandbox/clock/advance': {
          if (!(sandbox.clock instanceof FakeClock)) return send(res, 409, { error: 'the sandbox runs on the system clock' });
          sandbox.clock.advance(Number(parse(body).ms ?? 0));
          return send(res, 200, { now: new Date(sandbox.clock.now()).toISOString() });
        }
        default:
          return send(res, 404, { error: `unknown sandbox admin endpoint ${route}` });
      }
    } catch (error) {
      return send(res, 400, { error: (error as Error).message });
    }
  };
}
