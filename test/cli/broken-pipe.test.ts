/**
 * `tug validate | head -1`: the real CLI in a child process whose stdout is a pipe the reader closes after
 * the first line. The output (≈ 740 kB) is far larger than a pipe's buffer, so the child always writes into
 * the closed pipe: EPIPE every run, not by chance. tug must stop quietly, as Unix tools do.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

/** 3,000 depots with three problems each: 9,000 lines of validate output. */
function manyErrors(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tug-epipe-'));
  const docs = Array.from({ length: 3000 }, (_, i) => `kind: Depot\nkey: d${i}\nnmae: Depot ${i}\n`);
  writeFileSync(join(dir, 'many.yaml'), docs.join('---\n'));
  return join(dir, 'many.yaml');
}

describe('a reader that closes the pipe early', () => {
  it('ends tug quietly: no EPIPE stack trace, the command\'s own exit code', async () => {
    const file = manyErrors();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'validate', file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
    child.stdout.destroy();
    const code = await exit;
    expect(first).toMatch(/many\.yaml:1:1 {2}Depot\/d0 {2}/);
    expect(stderr).toBe('');
    expect(code).toBe(1); // validate found errors; the closed pipe does not change that
  });
});
