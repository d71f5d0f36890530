import { describe, expect, it } from 'vitest';
import { printable } from '../../src/render/printable.js';

describe('printable', () => {
  it('spells out C0 and C1 controls and line separators', () => {
    expect(printable('a\nb\r\u001b[2J\u009b\u2028')).toBe('a\\nb\\r\\u001b[2J\\u009b\\u2028');
  });

  it('spells out zero-width and bidi format characters, which would hide or reorder text', () => {
    expect(printable('aar\u200bhus')).toBe('aar\\u200bhus');
    expect(printable('\u202eCUST-1\u2066x\u2069\ufeff\u061c')).toBe('\\u202eCUST-1\\u2066x\\u2069\\ufeff\\u061c');
  });

  it('leaves printable text alone, non-Latin scripts and emoji included', () => {
    const text = 'Ærø Maskinudlejning — 東京 · Ελλάδα · 🚜 "quoted" \\ back';
    expect(printable(text)).toBe(text);
  });
});
