import { describe, expect, it } from 'vitest';
import { PLAIN_INTERVAL_MS, progressLine, progressReporter } from '../../src/apply/progress.js';
import { capture } from '../cli/run-cli.js';

const at = (done: number, elapsedMs: number, failed = 0) => ({ done, total: 100, applied: done - failed, failed, skipped: 0, elapsedMs });

describe('apply progress', () => {
  it('says done/total, rate and ETA', () => {
    expect(progressLine(at(25, 5_000))).toBe('apply: 25/100 changes · 5.0/s · ETA 15 s');
    expect(progressLine(at(0, 0))).toBe('apply: 0/100 changes · 0.0/s · ETA ?');
    expect(progressLine(at(50, 10_000, 2))).toBe('apply: 50/100 changes, 2 failed · 5.0/s · ETA 10 s');
  });

  it('in CI (no TTY) writes a plain line at most every 10 seconds', () => {
    const out = capture();
    let t = 0;
    const reporter = progressReporter(out.stream, () => t);
    reporter.onProgress(at(1, 100));
    t = PLAIN_INTERVAL_MS - 1;
    reporter.onProgress(at(10, t));
    t = PLAIN_INTERVAL_MS;
    reporter.onProgress(at(20, t));
    t = PLAIN_INTERVAL_MS * 2 - 1;
    reporter.onProgress(at(30, t));
    reporter.end();
    expect(out.text()).toBe('apply: 20/100 changes · 2.0/s · ETA 40 s\n');
  });

  it('in a terminal redraws one live line and ends it with a newline', () => {
    const out = capture();
    Object.assign(out.stream, { isTTY: true });
    const reporter = progressReporter(out.stream, () => 0);
    reporter.onProgress(at(1, 1_000));
    reporter.onProgress(at(2, 1_000));
    reporter.end();
    expect(out.text()).toBe('\r\x1b[2Kapply: 1/100 changes · 1.0/s · ETA 99 s\r\x1b[2Kapply: 2/100 changes · 2.0/s · ETA 49 s\n');
  });
});
