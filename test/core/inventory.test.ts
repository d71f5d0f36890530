/** Which per-object reads a plan makes live (src/core/inventory.ts): pure rules, exact counts. */
import { describe, expect, it } from 'vitest';
import { chooseReads, emptyInventory, freshnessOf, planInterval, type Inventory, type ReadCandidate } from '../../src/core/inventory.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-12-01T00:00:00Z');

function candidates(n: number, kind = 'Contract'): ReadCandidate[] {
  return Array.from({ length: n }, (_, i) => ({ key: `${kind}/contractItems/c${i}`, kind, liveId: `c${i}`, list: `L${i}`, manifest: `M${i}` }));
}

/** An inventory holding every candidate as read at `at`. */
function inventoryOf(cands: ReadCandidate[], at: number, plans: number[] = [at]): Inventory {
  const inv = emptyInventory();
  inv.plans = plans;
  for (const c of cands) inv.entries.set(c.key, { list: c.list, manifest: c.manifest, readAt: at, result: [] });
  return inv;
}

describe('chooseReads', () => {
  it('reads everything live without an inventory entry, with refresh full, and nothing else with refresh none', () => {
    const cands = candidates(10);
    expect(chooseReads(cands, emptyInventory(), { mode: 'auto', maxAgeMs: DAY, now: T0 }).live.size).toBe(10);
    const warm = inventoryOf(cands, T0);
    expect(chooseReads(cands, warm, { mode: 'full', maxAgeMs: DAY, now: T0 + HOUR }).live.size).toBe(10);
    const none = chooseReads(cands, warm, { mode: 'none', maxAgeMs: DAY, now: T0 + 30 * DAY });
    expect(none.live.size).toBe(0);
    expect(none.cached.size).toBe(10);
  });

  it('re-reads an object whose list entry or manifest changed, and the ones a change needs', () => {
    const cands = candidates(10);
    const warm = inventoryOf(cands, T0);
    const now = cands.map((c, i) => (i === 3 ? { ...c, list: 'moved' } : i === 5 ? { ...c, manifest: 'edited' } : c));
    const choice = chooseReads(now, warm, { mode: 'none', maxAgeMs: DAY, now: T0 + HOUR, mustRead: new Set(['c7']) });
    expect(Object.fromEntries(choice.live)).toEqual({ 'Contract/contractItems/c3': 'changed', 'Contract/contractItems/c5': 'changed', 'Contract/contractItems/c7': 'needed' });
  });

  it('hourly plans with maxAge 24 h re-check 1/24 of the entries each, and every entry within a day', () => {
    const cands = candidates(480);
    let inv = inventoryOf(cands, T0);
    const lastRead = new Map(cands.map((c) => [c.key, T0]));
    let maxGap = 0;
    for (let hour = 1; hour <= 72; hour += 1) {
      const now = T0 + hour * HOUR;
      const choice = chooseReads(cands, inv, { mode: 'auto', maxAgeMs: DAY, now });
      expect(choice.live.size).toBe(20); // 480 / 24
      const entries = new Map(inv.entries);
      for (const key of choice.live.keys()) {
        maxGap = Math.max(maxGap, now - lastRead.get(key)!);
        lastRead.set(key, now);
        entries.set(key, { ...entries.get(key)!, readAt: now });
      }
      inv = { plans: [...inv.plans, now].slice(-24), entries };
    }
    expect(maxGap).toBeLessThanOrEqual(DAY);
    for (const at of lastRead.values()) expect(T0 + 72 * HOUR - at).toBeLessThan(DAY);
  });

  it('spreads equally old entries over kinds (not all of one kind first)', () => {
    const cands = [...candidates(240, 'Asset'), ...candidates(240, 'Contract')];
    const choice = chooseReads(cands, inventoryOf(cands, T0), { mode: 'auto', maxAgeMs: DAY, now: T0 + HOUR });
    const kinds = [...choice.live.keys()].map((k) => k.split('/')[0]);
    expect(kinds.filter((k) => k === 'Asset').length).toBeGreaterThan(5);
    expect(kinds.filter((k) => k === 'Contract').length).toBeGreaterThan(5);
  });

  it('reads at once everything maxAge old, and counts it into the rolling slice', () => {
    const cands = candidates(48);
    const inv = inventoryOf(cands, T0, [T0, T0 + 23 * HOUR]);
    inv.entries.set(cands[0]!.key, { ...inv.entries.get(cands[0]!.key)!, readAt: T0 + 23 * HOUR });
    const choice = chooseReads(cands, inv, { mode: 'auto', maxAgeMs: DAY, now: T0 + 24 * HOUR });
    expect(choice.live.size).toBe(47);
    expect([...choice.live.values()].every((r) => r === 'due')).toBe(true);
    expect(choice.cached.has(cands[0]!.key)).toBe(true);
  });

  it('leaves reads outside the targets to the inventory, or unread, unless a change needs them', () => {
    const cands = candidates(4).map((c, i) => (i < 2 ? { ...c, outOfScope: true } : c));
    const inv = inventoryOf([cands[0]!], T0);
    const choice = chooseReads(cands, inv, { mode: 'full', maxAgeMs: DAY, now: T0, mustRead: new Set(['c1']) });
    expect([...choice.cached.keys()]).toEqual(['Contract/contractItems/c0']);
    expect([...choice.live.keys()].sort()).toEqual(['Contract/contractItems/c1', 'Contract/contractItems/c2', 'Contract/contractItems/c3']);
    expect(choice.unread.size).toBe(0);
    expect(chooseReads(cands, emptyInventory(), { mode: 'auto', maxAgeMs: DAY, now: T0 }).unread).toEqual(new Set(['Contract/contractItems/c0', 'Contract/contractItems/c1']));
  });
});

describe('planInterval and freshness', () => {
  it('is the median gap between recent plans, the time since the last one included', () => {
    expect(planInterval([T0, T0 + HOUR, T0 + 2 * HOUR], T0 + 3 * HOUR, DAY)).toBe(HOUR);
    expect(planInterval([T0], T0 + 5 * 60_000, DAY)).toBe(5 * 60_000);
    expect(planInterval([], T0 + HOUR, DAY, T0)).toBe(HOUR);
    expect(planInterval([], T0, DAY)).toBe(DAY);
    expect(planInterval([T0], T0 + 3 * DAY, DAY)).toBe(DAY);
  });

  it('states per kind what was live, what came from the inventory and how old the oldest is', () => {
    const cands = candidates(3);
    const inv = inventoryOf(cands, T0);
    const choice = chooseReads(cands, inv, { mode: 'none', maxAgeMs: DAY, now: T0 + 2 * HOUR, mustRead: new Set(['c0']) });
    expect(freshnessOf(cands, choice, { mode: 'none', maxAgeMs: DAY, now: T0 + 2 * HOUR })).toEqual({
      refresh: 'none',
      maxAgeSeconds: 86_400,
      kinds: { Contract: { reads: 3, live: 1, inventory: 2, oldestReadAt: '2026-12-01T00:00:00.000Z', oldestAgeSeconds: 7200 } },
    });
  });
});
