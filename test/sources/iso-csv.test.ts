/**
 * The RFC 4180 writer, checked by a real CSV parser (csv-parse): unit cases, then a snapshot of
 * sandbox assets whose names and brands hold commas, quotes, CR/LF and non-ASCII, round-tripped.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSnapshot } from '../../src/cli/commands/snapshot.js';
import { csvField, toCsv } from '../../src/render/csv.js';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { fetchIsoSnapshot } from '../../src/sources/iso15143/fetch.js';
import { SNAPSHOT_COLUMNS, toSnapshotRow } from '../../src/sources/iso15143/row.js';
import type { TrackunitClient } from '../../src/trackunit/client.js';
import { start } from '../sandbox/helpers.js';
import { sandboxClient } from '../trackunit/helpers.js';
import { tempDir } from './helpers.js';
import { LocalStateStore } from '../../src/state/local-store.js';

const strict = (text: string) => parse(text, { columns: true, record_delimiter: '\r\n', relax_quotes: false, relax_column_count: false, skip_empty_lines: false }) as Array<Record<string, string>>;

describe('csv writer', () => {
  it('quotes only what needs it and doubles inner quotes', () => {
    expect([csvField('plain'), csvField('a,b'), csvField('say "hi"'), csvField('two\nlines'), csvField('cr\r'), csvField(''), csvField(null), csvField(undefined), csvField(0), csvField(1532.4), csvField(false)]).toEqual([
      'plain',
      '"a,b"',
      '"say ""hi"""',
      '"two\nlines"',
      '"cr\r"',
      '',
      '',
      '',
      '0',
      '1532.4',
      'false',
    ]);
  });

  it('ends every record, the last included, with CRLF', () => {
    const text = toCsv(['a', 'b'] as const, [{ a: 1, b: 'x' }, { a: null, b: 'y,z' }]);
    expect(text).toBe('a,b\r\n1,x\r\n,"y,z"\r\n');
    expect(strict(text)).toEqual([{ a: '1', b: 'x' }, { a: '', b: 'y,z' }]);
    expect(toCsv(['a'] as const, [])).toBe('a\r\n');
  });
});

describe('snapshot CSV round trip through csv-parse', () => {
  let sandbox: SandboxHandle;
  let client: TrackunitClient;
  let state: Awaited<ReturnType<typeof tempDir>>;
  const NAMES = ['Excavator, big', 'Lift "Genie" 7', 'Two\nlines', 'Windows\r\nline', '"quoted", all over, "again"', 'Kran Ærø – ü', ' padded '];
  const BRANDS = ['Doosan, Inc.', 'JLG "Industries"', 'Brand\nNew'];

  beforeAll(async () => {
    sandbox = await start({ seed: 'empty', assets: 12 });
    [...sandbox.store.assets.values()].forEach((asset, i) => {
      if (i < NAMES.length) asset.name = NAMES[i]!;
      if (i < BRANDS.length) asset.brand = BRANDS[i]!;
    });
    client = sandboxClient(sandbox);
    state = await tempDir();
  });
  afterAll(async () => {
    await client.close();
    await sandbox.close();
    await state.remove();
  });

  it('parses back to exactly the rows written, one per asset', async () => {
    const { records } = await fetchIsoSnapshot({ client, state: new LocalStateStore(state.path) });
    const text = renderSnapshot(records, 'csv');
    expect(text.split('\r\n')[0]).toBe(SNAPSHOT_COLUMNS.join(','));
    const parsed = strict(text);
    expect(parsed).toHaveLength(12);
    const expected = records.map(toSnapshotRow).map((row) => Object.fromEntries(SNAPSHOT_COLUMNS.map((c) => [c, row[c] === null ? '' : String(row[c])])));
    expect(parsed).toEqual(expected);
    expect(parsed.slice(0, NAMES.length).map((r) => r.equipmentId)).toEqual(NAMES.map((n) => n.trim()));
    expect(parsed.slice(0, BRANDS.length).map((r) => r.make)).toEqual(BRANDS);
    expect(parsed.every((r) => r.assetId !== '' && sandbox.store.assets.has(r.assetId!))).toBe(true);
    expect(Number(parsed[0]!.operatingHours)).toBe(records[0]!.operatingHours?.hours);
  });

  it('renders the same rows as JSON and NDJSON', async () => {
    const { records } = await fetchIsoSnapshot({ client, state: new LocalStateStore(state.path) });
    const rows = records.map(toSnapshotRow);
    expect(JSON.parse(renderSnapshot(records, 'json'))).toEqual(rows);
    const lines = renderSnapshot(records, 'ndjson').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l))).toEqual(rows);
    expect(renderSnapshot([], 'json')).toBe('[]\n');
  });
});
