/**
 * Fault injection, per route, for the client's and the apply engine's resilience tests.
 *
 * A rule selects routes and gives rates (0..1) or amounts:
 *   429 / 500 / 502 / 503 / 504  answer that status instead of handling the request (nothing is written)
 *   latency                      milliseconds added before handling
 *   drop                         destroy the connection before handling (nothing is written)
 *   hang                         never answer (the client's timeout fires); nothing is written
 *   commit-drop                  handle the request (the write happens), then destroy the connection
 *   retry-after                  seconds in the Retry-After header of injected 429s (default 1)
 *   times                        the rule injects at most this many faults, then it is spent (a
 *                                deterministic "the first create is dropped"); latency is not counted
 *
 * Selectors: `*` (all), `reads`, `writes`, a family (`rental`), a route name (`rental.synchronize`) or a glob
 * (`*.create`). The text form used by `tug sandbox --faults` is
 *   `rental:429=0.1,503=0.05;writes:commit-drop=0.02;*:latency=30`
 * The dice are seeded so a fault pattern is reproducible.
 */
import { createRng } from './random.js';
import type { RouteDef } from './router.js';

export interface FaultRule {
  match: string;
  rates?: Partial<Record<'429' | '500' | '502' | '503' | '504', number>>;
  latencyMs?: number;
  drop?: number;
  hang?: number;
  commitDrop?: number;
  retryAfterSeconds?: number;
  /** At most this many injected faults (drop, hang, status, commit-drop) by this rule. */
  times?: number;
}

export type FaultDecision =
  | { action: 'none'; latencyMs: number; commitDrop: boolean }
  | { action: 'drop' | 'hang'; latencyMs: number }
  | { action: 'status'; status: number; latencyMs: number; retryAfterSeconds: number };

const STATUS_KEYS = ['429', '500', '502', '503', '504'] as const;

function globToRegex(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
}

export function ruleMatches(rule: FaultRule, route: RouteDef): boolean {
  const m = rule.match.trim();
  if (m === '*' || m === '') return true;
  if (m === 'writes') return route.write;
  if (m === 'reads') return !route.write;
  if (m === route.family || m === route.name) return true;
  return m.includes('*') && globToRegex(m).test(route.name);
}

export class FaultInjector {
  private rng: () => number;
  /** How many faults of each kind were injected (tests read this). */
  readonly injected: Record<string, number> = {};

  constructor(
    public rules: FaultRule[] = [],
    seed: string | number = 'faults',
  ) {
    this.rng = createRng(seed);
  }

  set(rules: FaultRule[], seed?: string | number): void {
    this.rules = rules;
    if (seed !== undefined) this.rng = createRng(seed);
  }

  private count(kind: string): void {
    this.injected[kind] = (this.injected[kind] ?? 0) + 1;
  }

  private roll(rate: number | undefined): boolean {
    return rate !== undefined && rate > 0 && this.rng() < rate;
  }

  /** Faults each rule injected (for `times`). */
  private readonly spent = new WeakMap<FaultRule, number>();

  private use(rule: FaultRule): void {
    this.spent.set(rule, (this.spent.get(rule) ?? 0) + 1);
  }

  decide(route: RouteDef): FaultDecision {
    let latencyMs = 0;
    let commitDrop = false;
    for (const rule of this.rules) {
      if (!ruleMatches(rule, route)) continue;
      latencyMs += rule.latencyMs ?? 0;
      if (rule.times !== undefined && (this.spent.get(rule) ?? 0) >= rule.times) continue;
      if (this.roll(rule.drop)) {
        this.count('drop');
        this.use(rule);
        return { action: 'drop', latencyMs };
      }
      if (this.roll(rule.hang)) {
        this.count('hang');
        this.use(rule);
        return { action: 'hang', latencyMs };
      }
      for (const key of STATUS_KEYS) {
        if (this.roll(rule.rates?.[key])) {
          this.count(key);
          this.use(rule);
          return { action: 'status', status: Number(key), latencyMs, retryAfterSeconds: rule.retryAfterSeconds ?? 1 };
        }
      }
      if (route.write && this.roll(rule.commitDrop)) {
        commitDrop = true;
        this.use(rule);
      }
    }
    if (commitDrop) this.count('commit-drop');
    return { action: 'none', latencyMs, commitDrop };
  }
}

/** Parse the `--faults` text form; throws an Error naming the bad part. */
export function parseFaults(spec: string): FaultRule[] {
  const rules: FaultRule[] = [];
  for (const part of spec.split(';').map((p) => p.trim()).filter(Boolean)) {
    const colon = part.indexOf(':');
    if (colon <= 0) throw new Error(`fault rule "${part}" must look like "selector:key=value,..." (e.g. "rental:429=0.1")`);
    const rule: FaultRule = { match: part.slice(0, colon).trim() };
    for (const setting of part.slice(colon + 1).split(',').map((s) => s.trim()).filter(Boolean)) {
      const [key, raw] = setting.split('=').map((s) => s.trim());
      const value = Number(raw);
      if (!key || raw === undefined || !Number.isFinite(value) || value < 0) {
        throw new Error(`fault setting "${setting}" in "${part}" must be key=number (number ≥ 0)`);
      }
      const isRate = key !== 'latency' && key !== 'retry-after' && key !== 'times';
      if (isRate && value > 1) throw new Error(`fault rate "${setting}" must be between 0 and 1`);
      if ((STATUS_KEYS as readonly string[]).includes(key)) {
        rule.rates = { ...rule.rates, [key]: value };
      } else if (key === 'latency') rule.latencyMs = value;
      else if (key === 'drop') rule.drop = value;
      else if (key === 'hang') rule.hang = value;
      else if (key === 'commit-drop') rule.commitDrop = value;
      else if (key === 'retry-after') rule.retryAfterSeconds = value;
      else if (key === 'times') rule.times = value;
      else {
        throw new Error(
          `unknown fault "${key}" in "${part}"; known: ${[...STATUS_KEYS, 'latency', 'drop', 'hang', 'commit-drop', 'retry-after', 'times'].join(', ')}`,
        );
      }
    }
    rules.push(rule);
  }
  return rules;
}
