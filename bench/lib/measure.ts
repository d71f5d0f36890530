/**
 * Peak resident memory of this process while some work runs, sampled every 20 ms (RSS has no
 * high-water mark in Node's API, so sampling is the honest way to see it).
 */
export interface RssSampler {
  /** Peak RSS so far, in MiB. */
  peakMb(): number;
  stop(): number;
}

export function sampleRss(intervalMs = 20): RssSampler {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), intervalMs);
  timer.unref();
  const peakMb = () => Math.round(Math.max(peak, process.memoryUsage().rss) / 1024 / 1024);
  return {
    peakMb,
    stop: () => {
      clearInterval(timer);
      return peakMb();
    },
  };
}
