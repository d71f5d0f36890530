import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { createRunContext } from '../../src/cli/context.js';

describe('tug demo', () => {
  it('reads the seeded demo account through the client and reports what it found', async () => {
    let out = '';
    const stdout = new Writable({
      write(chunk, _enc, done) {
        out += String(chunk);
        done();
      },
    });
    const code = await main(['demo'], createRunContext({ stdout, stderr: stdout, env: {} }));
    expect(code).toBe(0);
    expect(out).toMatch(/^\s+32 {2}assets$/m);
    expect(out).toMatch(/^\s+8 {2}custom field definitions$/m);
    expect(out).toContain('fleet snapshot page 1: 32 equipment, 30 with an hour meter');
    expect(out).toContain('6 API requests, 1 token request, 0 retries; the sandbox saw 0 writes.');
  });
});
