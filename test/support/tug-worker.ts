/**
 * A tug process that runs several commands, one after the other — a CI runner that stays up between
 * jobs, loaded once so tests can start many applies in separate processes quickly. Each command is one
 * JSON line on stdin (the argv); each result one JSON line on stdout: `{"code","stdout","stderr"}`. The
 * command is the real CLI entry (`main`), with this process's cwd and environment.
 *
 *   node --import tsx test/support/tug-worker.ts   ← ["apply","plan.json","--format","json"]
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { createRunContext } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';

function capture(): { stream: Writable; text: () => string } {
  let text = '';
  return { stream: new Writable({ write: (chunk, _enc, done) => ((text += String(chunk)), done()) }), text: () => text };
}

const lines = createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on('line', (line) => {
  queue = queue.then(async () => {
    const out = capture();
    const err = capture();
    let code: number;
    try {
      code = await main(JSON.parse(line) as string[], createRunContext({ stdout: out.stream, stderr: err.stream }));
    } catch (error) {
      code = 99;
      err.stream.write(String(error));
    }
    process.stdout.write(`${JSON.stringify({ code, stdout: out.text(), stderr: err.text() })}\n`);
  });
});
process.stdout.write('ready\n');
