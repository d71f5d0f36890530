/**
 * Helpers for the ISO data-source tests: a temporary state directory, and a client clock bridged to
 * the sandbox's FakeClock so the sandbox (tokens, 15-minute rule, per-second window), the cache and
 * the client's scheduler all read the same time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeClock } from '../../src/sandbox/clock.js';
import type { SchedulerClock } from '../../src/trackunit/rate-scheduler.js';

/**
 * The client's view of a FakeClock: `now()` is the fake time; `sleep()` really waits (so requests stay
 * spaced in real time too, as the sandbox sees them) and moves the fake time by as much.
 */
export function bridgedClock(fake: FakeClock): SchedulerClock {
  return {
    now: () => fake.now(),
    sleep: async (ms) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      fake.advance(ms);
    },
  };
}

export async function tempDir(prefix = 'tug-iso-'): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export const MINUTE = 60_000;
