import { describe, expect, it } from 'vitest';
import { formatCount, plural } from '../../src/render/count.js';

describe('plural', () => {
  it('agrees with its number: singular for exactly one, plural otherwise', () => {
    expect(plural(1, 'page')).toBe('1 page');
    expect(plural(0, 'page')).toBe('0 pages');
    expect(plural(2, 'site')).toBe('2 sites');
    expect(plural(1, 'retry', 'retries')).toBe('1 retry');
    expect(plural(3, 'retry', 'retries')).toBe('3 retries');
  });

  it('groups digits like the rest of the output', () => {
    expect(plural(1500, 'asset')).toBe('1,500 assets');
    expect(formatCount(1234567)).toBe('1,234,567');
  });
});
