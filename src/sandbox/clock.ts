/**
 * The sandbox never reads the wall clock directly: token lifetimes, derived site status, rate-limit
 * windows and the ISO export's 15-minute rule all ask a Clock, so tests can fast-forward time.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to. */
export class FakeClock implements Clock {
  private current: number;

  constructor(start: number | string = '2026-01-15T08:00:00.000Z') {
    this.current = typeof start === 'string' ? Date.parse(start) : start;
  }

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(at: number | string): void {
    this.current = typeof at === 'string' ? Date.parse(at) : at;
  }
}

export function isoNow(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}
