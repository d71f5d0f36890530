/**
 * The write-ahead journal: every line on disk before the call returns, read back intact, a torn last
 * line tolerated (and cut off when the journal is reopened), state derived for --resume.
 */
import { appendFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { journalFile, journalState, openJournal, readJournal, type JournalEntry } from '../../src/state/journal.js';

// Records the order of the journal's writes and fsyncs (the real calls still happen).
const calls = vi.hoisted(() => [] as string[]);
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const writeSync = ((...args: unknown[]) => {
    calls.push('write');
    return (fs.writeSync as (...a: unknown[]) => number)(...args);
  }) as typeof fs.writeSync;
  const fsyncSync = (fd: number) => {
    calls.push('fsync');
    fs.fsyncSync(fd);
  };
  return { ...fs, default: { ...fs, writeSync, fsyncSync }, writeSync, fsyncSync };
});

const PLAN = { fingerprint: 'sha256:0123456789abcdef' };
const T0 = Date.parse('2025-03-01T10:00:00.000Z');

function stateDir(): string {
  return mkdtempSync(join(tmpdir(), 'tug-journal-'));
}

function clock() {
  let t = T0;
  return () => (t += 1000);
}

function linesOnDisk(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('openJournal', () => {
  it('writes one JSON line per call under journal/<fingerprint>.jsonl, each on disk when the call returns', () => {
    const dir = stateDir();
    const journal = openJournal(dir, PLAN, { now: clock(), host: 'build-7', pid: 4242 });
    expect(journal.file).toBe(join(dir, 'journal', '0123456789abcdef.jsonl'));
    expect(linesOnDisk(journal.file)).toEqual([
      { seq: 1, at: '2025-03-01T10:00:01.000Z', type: 'open', fingerprint: PLAN.fingerprint, host: 'build-7', pid: 4242 },
    ]);

    journal.intent('create:Customer/CUST-1', 0, { method: 'POST', path: '/api/customer/v1/customers', lookup: { externalReference: 'CUST-1' } });
    expect(linesOnDisk(journal.file).at(-1)).toEqual({
      seq: 2,
      at: '2025-03-01T10:00:02.000Z',
      type: 'intent',
      changeKey: 'create:Customer/CUST-1',
      requestIndex: 0,
      method: 'POST',
      path: '/api/customer/v1/customers',
      lookup: { externalReference: 'CUST-1' },
    });
    journal.outcome('create:Customer/CUST-1', 0, { status: 'done', createdId: 'c-123' });
    expect(linesOnDisk(journal.file).at(-1)).toMatchObject({ seq: 3, type: 'outcome', status: 'done', createdId: 'c-123' });
    journal.changeOutcome('create:Customer/CUST-1', 'applied');
    expect(linesOnDisk(journal.file).at(-1)).toMatchObject({ seq: 4, type: 'change', changeKey: 'create:Customer/CUST-1', status: 'applied' });
    journal.finish({ applied: 1, failed: 0, skipped: 0 });
    expect(linesOnDisk(journal.file).at(-1)).toMatchObject({ seq: 5, type: 'finish', summary: { applied: 1, failed: 0, skipped: 0 } });
    journal.close();
    expect(() => journal.finish({})).toThrow(/closed/);
  });

  it('fsyncs after every write (write-ahead: the intent is durable before the request is sent)', () => {
    const dir = stateDir();
    const journal = openJournal(dir, PLAN);
    calls.length = 0;
    journal.intent('update:Depot/aarhus', 0, { method: 'PATCH', path: '/api/site/v1/sites/s-1' });
    expect(calls).toEqual(['write', 'fsync']);
    journal.outcome('update:Depot/aarhus', 0, { status: 'done' });
    expect(calls).toEqual(['write', 'fsync', 'write', 'fsync']);
    journal.close();
  });

  it('never stores request bodies or fields it does not name', () => {
    const dir = stateDir();
    const journal = openJournal(dir, PLAN);
    const detail = { method: 'POST', path: '/api/customer/v1/customers', body: { password: 'hunter2' }, headers: { authorization: 'Bearer abc' } };
    journal.intent('create:Customer/C', 0, detail);
    journal.outcome('create:Customer/C', 0, { status: 'failed', error: { code: 'api_error', message: 'x'.repeat(5000) }, body: 'secret' } as never);
    journal.changeOutcome('create:Customer/C', 'failed', { reason: 'api_error', token: 'abc' } as never);
    const text = readFileSync(journal.file, 'utf8');
    expect(text).not.toMatch(/hunter2|Bearer|secret|"token"|"body"|"headers"/);
    const outcome = linesOnDisk(journal.file)[2] as { error: { message: string } };
    expect(outcome.error.message.length).toBeLessThanOrEqual(1001);
    journal.close();
  });

  it('keeps one journal per plan fingerprint, and continues an existing one', async () => {
    const dir = stateDir();
    const a = openJournal(dir, PLAN);
    a.intent('create:Depot/a', 0, { method: 'POST', path: '/sites' });
    a.close();
    const b = openJournal(dir, { fingerprint: 'sha256:fedcba9876543210' });
    b.close();
    expect(readdirSync(join(dir, 'journal')).sort()).toEqual(['0123456789abcdef.jsonl', 'fedcba9876543210.jsonl']);

    const resumed = openJournal(dir, PLAN);
    resumed.outcome('create:Depot/a', 0, { status: 'done', createdId: 's-9' });
    resumed.close();
    const { entries } = await readJournal(dir, PLAN.fingerprint);
    expect(entries.map((e) => [e.seq, e.type])).toEqual([
      [1, 'open'],
      [2, 'intent'],
      [3, 'open'],
      [4, 'outcome'],
    ]);
    expect((await readJournal(dir, 'sha256:fedcba9876543210')).entries).toHaveLength(1);
  });

  it('refuses a fingerprint that is not a safe file name', () => {
    expect(() => journalFile('/tmp/x', 'sha256:../../etc/passwd')).toThrow(/not a plan fingerprint/);
  });
});

describe('readJournal', () => {
  it('round-trips what was written; a missing journal is empty', async () => {
    const dir = stateDir();
    expect(await readJournal(dir, PLAN.fingerprint)).toMatchObject({ exists: false, entries: [], tornTail: false });
    const journal = openJournal(dir, PLAN, { now: clock() });
    journal.intent('sync:Asset/A1', 0, { method: 'POST', path: '/api/rental/v1/synchronization' });
    journal.outcome('sync:Asset/A1', 0, { status: 'failed', error: { code: 'http_400', message: 'bad' } });
    journal.changeOutcome('sync:Asset/A1', 'failed', { error: { code: 'http_400', message: 'bad' } });
    journal.close();
    const read = await readJournal(dir, PLAN.fingerprint);
    expect(read).toMatchObject({ exists: true, tornTail: false });
    expect(read.entries).toEqual(linesOnDisk(journal.file));
    expect(read.entries[3]).toMatchObject({ type: 'change', detail: { error: { code: 'http_400', message: 'bad' } } });
  });

  it('ignores and reports a torn last line; reopening cuts it off before appending', async () => {
    const dir = stateDir();
    const journal = openJournal(dir, PLAN);
    journal.intent('create:Depot/a', 0, { method: 'POST', path: '/sites' });
    journal.close();
    appendFileSync(journal.file, '{"seq":3,"at":"2025-03-01T10:00:0');
    const torn = await readJournal(dir, PLAN.fingerprint);
    expect(torn.tornTail).toBe(true);
    expect(torn.entries).toHaveLength(2);

    const reopened = openJournal(dir, PLAN);
    expect(reopened.repairedTornTail).toBe(true);
    reopened.outcome('create:Depot/a', 0, { status: 'unknown' });
    reopened.close();
    const after = await readJournal(dir, PLAN.fingerprint);
    expect(after.tornTail).toBe(false);
    expect(after.entries.map((e) => e.type)).toEqual(['open', 'intent', 'open', 'outcome']);
    expect(after.entries[2]).toMatchObject({ seq: 3, repairedTornTail: true });
  });

  it('treats a terminated but unparsable last line (zero bytes after a crash) as torn, and damage earlier as an error', async () => {
    const dir = stateDir();
    const journal = openJournal(dir, PLAN);
    journal.close();
    appendFileSync(journal.file, '\0\0\0\0\n');
    expect(await readJournal(dir, PLAN.fingerprint)).toMatchObject({ tornTail: true, entries: [{ type: 'open' }] });
    appendFileSync(journal.file, '{"seq":9,"at":"x","type":"finish","summary":{}}\n');
    await expect(readJournal(dir, PLAN.fingerprint)).rejects.toMatchObject({ code: 'journal_corrupt' });
  });
});

describe('journalState', () => {
  const at = '2025-03-01T10:00:00.000Z';
  let seq = 0;
  const e = (fields: Record<string, unknown>) => ({ seq: ++seq, at, ...fields }) as JournalEntry;

  it('derives applied, failed, skipped, in-flight requests and created ids', () => {
    const entries = [
      e({ type: 'open', fingerprint: PLAN.fingerprint, host: 'h', pid: 1 }),
      e({ type: 'intent', changeKey: 'create:Depot/a', requestIndex: 0, method: 'POST', path: '/sites', lookup: { externalReference: 'tug:depot/a' } }),
      e({ type: 'outcome', changeKey: 'create:Depot/a', requestIndex: 0, status: 'done', createdId: 's-1' }),
      e({ type: 'intent', changeKey: 'create:Depot/a', requestIndex: 1, method: 'PUT', path: '/sites/s-1/values' }),
      e({ type: 'outcome', changeKey: 'create:Depot/a', requestIndex: 1, status: 'done' }),
      e({ type: 'change', changeKey: 'create:Depot/a', status: 'applied' }),
      e({ type: 'intent', changeKey: 'create:Customer/C1', requestIndex: 0, method: 'POST', path: '/customers', lookup: { externalReference: 'C1' } }),
      e({ type: 'outcome', changeKey: 'create:Customer/C1', requestIndex: 0, status: 'unknown', error: { code: 'outcome_unknown', message: 'lost' } }),
      e({ type: 'change', changeKey: 'create:Customer/C1', status: 'failed' }),
      e({ type: 'change', changeKey: 'create:Contract/K1', status: 'skipped', detail: { reason: 'depends on create:Customer/C1' } }),
      e({ type: 'intent', changeKey: 'sync:Asset/A1', requestIndex: 0, method: 'POST', path: '/api/rental/v1/synchronization' }),
    ];
    const state = journalState(entries);
    expect(state.applied).toEqual(new Set(['create:Depot/a']));
    expect(state.failed).toEqual(new Set(['create:Customer/C1']));
    expect(state.skipped).toEqual(new Set(['create:Contract/K1']));
    expect(state.inFlight).toEqual([
      { changeKey: 'create:Customer/C1', requestIndex: 0, detail: { method: 'POST', path: '/customers', lookup: { externalReference: 'C1' } }, outcome: 'unknown' },
      { changeKey: 'sync:Asset/A1', requestIndex: 0, detail: { method: 'POST', path: '/api/rental/v1/synchronization' } },
    ]);
    expect(state.createdIds).toEqual(new Map([['create:Depot/a#0', 's-1']]));
    expect(state.finished).toBe(false);
  });

  it('a resumed run settles earlier results: the last status wins, a finish line ends it', () => {
    const entries = [
      e({ type: 'intent', changeKey: 'create:Customer/C1', requestIndex: 0, method: 'POST', path: '/customers' }),
      e({ type: 'change', changeKey: 'create:Customer/C1', status: 'failed' }),
      e({ type: 'finish', summary: { applied: 0, failed: 1 } }),
      e({ type: 'open', fingerprint: PLAN.fingerprint, host: 'h', pid: 2 }),
      e({ type: 'outcome', changeKey: 'create:Customer/C1', requestIndex: 0, status: 'done', createdId: 'c-7' }),
      e({ type: 'change', changeKey: 'create:Customer/C1', status: 'applied' }),
    ];
    const unfinished = journalState(entries);
    expect(unfinished.finished).toBe(false);
    expect(unfinished.applied).toEqual(new Set(['create:Customer/C1']));
    expect(unfinished.failed.size).toBe(0);
    expect(unfinished.inFlight).toEqual([]);
    expect(unfinished.createdIds.get('create:Customer/C1#0')).toBe('c-7');
    const finished = journalState([...entries, e({ type: 'finish', summary: { applied: 1, failed: 0 } })]);
    expect(finished).toMatchObject({ finished: true, summary: { applied: 1, failed: 0 } });
  });
});
