/**
 * Progress of a running apply, for people: in a terminal one live line (done/total, rate, ETA) redrawn
 * in place; elsewhere (CI logs) a plain line at most every 10 seconds, so logs stay short.
 */
import type { ApplyProgress } from './apply-plan.js';

export const PLAIN_INTERVAL_MS = 10_000;

export function progressLine(p: ApplyProgress): string {
  const rate = p.elapsedMs > 0 ? (p.done / p.elapsedMs) * 1000 : 0;
  const eta = rate > 0 ? Math.ceil((p.total - p.done) / rate) : undefined;
  const failed = p.failed > 0 ? `, ${p.failed} failed` : '';
  return `apply: ${p.done}/${p.total} changes${failed} · ${rate.toFixed(1)}/s · ETA ${eta === undefined ? '?' : `${eta} s`}`;
}

/** A progress callback writing to `stream`; call the returned `end()` before printing the report. */
export function progressReporter(stream: NodeJS.WritableStream, now: () => number): { onProgress: (p: ApplyProgress) => void; end: () => void } {
  const tty = (stream as NodeJS.WriteStream).isTTY === true;
  let lastPlain = now();
  let drawn = false;
  return {
    onProgress: (p) => {
      if (tty) {
        stream.write(`\r\x1b[2K${progressLine(p)}`);
        drawn = true;
      } else if (now() - lastPlain >= PLAIN_INTERVAL_MS) {
        lastPlain = now();
        stream.write(`${progressLine(p)}\n`);
      }
    },
    end: () => {
      if (drawn) stream.write('\n');
    },
  };
}
