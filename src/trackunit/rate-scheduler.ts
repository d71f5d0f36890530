/**
 * One rate scheduler for reads and writes: a token bucket and an in-flight cap per API family.
 *
 * Adaptive: a 429 pauses the family until Retry-After (or an exponential backoff when absent) and
 * halves its rate; every success gives back a small step of the configured rate (AIMD, like TCP
 * congestion control), so a long run settles just below the server's real limit instead of bouncing
 * off it. Waiting callers are served in arrival order.
 */
import type { ApiFamily, FamilyLimit } from './config.js';
import type { RunMetrics } from './metrics.js';

export interface SchedulerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: SchedulerClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Never slow a family below this fraction of its configured rate. */
const MIN_RATE_FRACTION = 0.05;
/** Share of the configured rate regained per successful request. */
const RECOVERY_FRACTION = 0.02;

class FamilyState {
  readonly configured: number;
  rate: number;
  tokens: number;
  updatedAt: number;
  pausedUntil = 0;
  /** Consecutive 429s without Retry-After, for the exponential pause. */
  strikes = 0;
  inFlight = 0;
  readonly burst: number;
  readonly maxInFlight: number;
  /** Serialises token acquisition so callers are served first come, first served. */
  queue: Promise<void> = Promise.resolve();
  readonly slotWaiters: Array<() => void> = [];

  constructor(limit: FamilyLimit, now: number) {
    this.configured = limit.ratePerSecond;
    this.rate = limit.ratePerSecond;
    this.burst = Math.max(1, limit.burst ?? limit.ratePerSecond);
    this.maxInFlight = Math.max(1, limit.maxInFlight ?? 8);
    this.tokens = this.burst;
    this.updatedAt = now;
  }

  refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.rate);
    this.updatedAt = now;
  }
}

/** A granted slot: call `release()` when the response (or failure) has arrived. */
export interface Slot {
  waitedMs: number;
  release(): void;
}

export class RateScheduler {
  private readonly families = new Map<ApiFamily, FamilyState>();

  constructor(
    limits: Record<ApiFamily, FamilyLimit>,
    private readonly clock: SchedulerClock = realClock,
    private readonly metrics?: RunMetrics,
  ) {
    for (const [family, limit] of Object.entries(limits) as Array<[ApiFamily, FamilyLimit]>) {
      this.families.set(family, new FamilyState(limit, clock.now()));
    }
  }

  private state(family: ApiFamily): FamilyState {
    const state = this.families.get(family);
    if (!state) throw new Error(`no rate limit configured for API family ${family}`);
    return state;
  }

  /** Wait for an in-flight slot and a token of the family's bucket (and any 429 pause). */
  async acquire(family: ApiFamily): Promise<Slot> {
    const state = this.state(family);
    const started = this.clock.now();
    await this.takeInFlightSlot(state);
    const turn = state.queue.then(() => this.takeToken(state));
    state.queue = turn.catch(() => undefined);
    await turn;
    const waitedMs = this.clock.now() - started;
    this.metrics?.addWait(family, waitedMs);
    let released = false;
    return {
      waitedMs,
      release: () => {
        if (released) return;
        released = true;
        state.inFlight -= 1;
        state.slotWaiters.shift()?.();
      },
    };
  }

  private async takeInFlightSlot(state: FamilyState): Promise<void> {
    while (state.inFlight >= state.maxInFlight) {
      await new Promise<void>((resolve) => state.slotWaiters.push(resolve));
    }
    state.inFlight += 1;
  }

  private async takeToken(state: FamilyState): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      if (now < state.pausedUntil) {
        await this.clock.sleep(state.pausedUntil - now);
        continue;
      }
      state.refill(now);
      if (state.tokens >= 1) {
        state.tokens -= 1;
        return;
      }
      await this.clock.sleep(Math.max(1, Math.ceil(((1 - state.tokens) / state.rate) * 1000)));
    }
  }

  /**
   * The server said 429: pause the family for Retry-After (or 1 s, 2 s, 4 s … up to `maxPauseMs`
   * when absent) and halve its rate. Returns the pause applied, in milliseconds.
   */
  onRateLimited(family: ApiFamily, retryAfterMs: number | undefined, maxPauseMs = 60_000): number {
    const state = this.state(family);
    state.strikes += 1;
    const pause = Math.min(maxPauseMs, retryAfterMs ?? 1000 * 2 ** Math.min(6, state.strikes - 1));
    state.pausedUntil = Math.max(state.pausedUntil, this.clock.now() + pause);
    state.rate = Math.max(state.configured * MIN_RATE_FRACTION, state.rate / 2);
    state.tokens = Math.min(state.tokens, 0);
    return pause;
  }

  /** A request of the family succeeded: regain a little rate. */
  onSuccess(family: ApiFamily): void {
    const state = this.state(family);
    state.strikes = 0;
    if (state.rate < state.configured) state.rate = Math.min(state.configured, state.rate + state.configured * RECOVERY_FRACTION);
  }

  /** Current (possibly slowed) rate of a family, requests per second. */
  currentRate(family: ApiFamily): number {
    return this.state(family).rate;
  }

  /** Predicted seconds to send `requests` requests of a family at its configured rate (plan budgets). */
  predictSeconds(family: ApiFamily, requests: number): number {
    const state = this.state(family);
    return Math.max(0, requests - state.burst) / state.configured;
  }
}
