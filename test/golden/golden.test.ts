/**
 * Golden scenarios (test/golden/NNN-name/, see README.md there): each folder's manifests are planned
 * against a fresh demo sandbox holding its live state, and the plan must equal the folder's plan.json and
 * plan.md byte for byte, satisfy its expect.json, and come out identical when planned a second time.
 *
 *   npx vitest run test/golden                    check
 *   UPDATE_GOLDEN=1 npx vitest run test/golden    rewrite plan.json / plan.md (then review the diff!)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkExpectations, type Expectations } from './expectations.js';
import { runScenario } from './harness.js';

const GOLDEN_DIR = fileURLToPath(new URL('.', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const scenarios = readdirSync(GOLDEN_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory() && /^\d{3}-/.test(e.name))
  .map((e) => e.name)
  .sort();

function readIfExists(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

describe('golden scenarios', () => {
  it('has at least 20 scenarios', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(20);
  });

  describe.each(scenarios)('%s', (name) => {
    const dir = join(GOLDEN_DIR, name);

    it('plans exactly the golden plan, deterministically, with the expected semantics', async () => {
      const result = await runScenario(dir);
      expect(result.second, 'a second plan of the same inputs must be byte-identical').toBe(result.json);

      const expectFile = join(dir, 'expect.json');
      expect(existsSync(expectFile), `${name}/expect.json is required`).toBe(true);
      const expectations = JSON.parse(readFileSync(expectFile, 'utf8')) as Expectations;
      expect(checkExpectations(result.plan, expectations)).toEqual([]);

      const [jsonFile, mdFile] = [join(dir, 'plan.json'), join(dir, 'plan.md')];
      if (UPDATE) {
        await writeFile(jsonFile, result.json);
        await writeFile(mdFile, result.markdown);
        return;
      }
      const [json, md] = [readIfExists(jsonFile), readIfExists(mdFile)];
      expect(json, `${name}/plan.json is missing: run UPDATE_GOLDEN=1 npx vitest run test/golden`).toBeDefined();
      expect(md, `${name}/plan.md is missing: run UPDATE_GOLDEN=1 npx vitest run test/golden`).toBeDefined();
      expect(result.json).toBe(json);
      expect(result.markdown).toBe(md);
    });
  });
});
