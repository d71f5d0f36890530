/**
 * The crash test's apply process: tug itself (`main` of src/cli/main.ts, exactly what the bin runs),
 * loaded ahead of time so the test can start it the moment it wants and kill it at a known point of the
 * apply rather than somewhere in module loading. Prints `ready`, reads one line from stdin — the argv,
 * as JSON — runs the command and exits with its code. Its output follows the `ready` line.
 *
 *   node --import tsx test/apply/crash-child.ts   ← ["apply","plan.json","--format","json",…]
 */
import { createInterface } from 'node:readline';
import { main } from '../../src/cli/main.js';

const lines = createInterface({ input: process.stdin });
lines.once('line', (line) => {
  lines.close();
  process.stdin.destroy();
  main(JSON.parse(line) as string[]).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`crash-child: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
});
process.stdout.write('ready\n');
