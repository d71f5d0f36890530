import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/cli/duration.js';

describe('parseDuration', () => {
  it('reads every unit the flags use, with a decimal number, spaces and capitals', () => {
    expect(['500ms', '90s', '10m', '2h', '1d', '1.5h', ' 15M '].map((t) => parseDuration(t, '--x', 'e.g.'))).toEqual([500, 90_000, 600_000, 7_200_000, 86_400_000, 5_400_000, 900_000]);
  });

  it('refuses anything else, naming the flag and an example', () => {
    for (const bad of ['soon', '10', 'm', '-5m', '10 minutes', '1w']) {
      expect(() => parseDuration(bad, '--max-duration', '90s, 10m or 2h')).toThrow(`--max-duration must be a duration like 90s, 10m or 2h, got "${bad}"`);
    }
  });
});
