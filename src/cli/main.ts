#!/usr/bin/env node
/**
 * The `tug` command line: commander wiring only. Each command parses its flags into a typed options
 * object and calls its module; the one catch below maps every error to text or JSON and to the exit
 * codes of README.md ("Exit codes").
 */
import { Command, CommanderError, Option } from 'commander';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ExitCode, toTugError } from '../errors.js';
import { runApplyCommand, type ApplyFlags } from './commands/apply.js';
import { runDemo } from './commands/demo.js';
import { runDoctorCommand, type DoctorFlags } from './commands/doctor.js';
import { runExportCommand, type ExportFlags } from './commands/export.js';
import { runDriftCommand, type DriftFlags } from './commands/drift.js';
import { runGitHubApply, runGitHubComment, runGitHubDrift, type GitHubFlags } from './commands/github.js';
import { runValidate, type ValidateFlags } from './commands/validate.js';
import { runPlanCommand, type PlanFlags } from './commands/plan.js';
import { parseSandboxFlags, runSandbox, type SandboxFlags } from './commands/sandbox.js';
import { runSnapshotCommand, type SnapshotFlags } from './commands/snapshot.js';
import { runStateMigrate, runStateShow, type StateShowFlags } from './commands/state.js';
import { runUnlock, type UnlockFlags } from './commands/unlock.js';
import { createRunContext, writeLine, type RunContext } from './context.js';
import { usageError } from './usage-error.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

const ERROR_FORMATS = ['text', 'json'];

/** What a command reports without throwing (e.g. doctor with a failed check). */
export interface CommandOutcome {
  exitCode: number;
}

/** The `tug` command itself: global --format, and output through the run context. */
function rootCommand(ctx: RunContext): Command {
  const program = new Command('tug')
    .description('Declarative GitOps for Trackunit Iris: plan and apply depots, customers, custom fields, assets and rental contracts from YAML.')
    .version('0.1.0')
    .addOption(new Option('--format <format>', 'error output format: text or json (a command\'s own --format wins)').choices(ERROR_FORMATS).default('text'))
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      // Usage errors are printed by main's one catch (text or JSON); commander only writes the help it
      // shows when no command was given, and not in JSON mode, where stderr must stay one JSON object.
      writeErr: (s) => {
        if (program.opts().format !== 'json') ctx.stderr.write(s);
      },
      outputError: () => undefined,
    });
  return program;
}

function sandboxCommand(program: Command, ctx: RunContext, outcome: CommandOutcome): void {
  program
    .command('sandbox')
    .description('Run the Trackunit API emulator (auth, sites, customers, custom fields, assets, rental, ISO 15143-3) on loopback')
    .option('--port <port>', 'port to listen on (0 = any free port)', '8787')
    .addOption(new Option('--host <host>', 'loopback address to bind').choices(['127.0.0.1', '::1', 'localhost']).default('127.0.0.1'))
    .option('--data <file>', 'load the account from this JSON file if it exists and save every change to it')
    .option('--seed <kind>', 'initial account when there is no data file: demo or empty', 'demo')
    .option('--assets <n>', 'number of owned assets to generate (demo default 30)')
    .option('--customers <n>', 'number of extra customers to generate')
    .option('--latency-ms <ms>', 'latency added to every API request')
    .option('--faults <spec>', 'fault injection, e.g. "rental:429=0.1,503=0.05;writes:commit-drop=0.02;*:latency=30"')
    .option('--fault-seed <seed>', 'seed for the fault dice (reproducible fault patterns)')
    .option('--rate-limit <family=rps[/burst]>', 'token bucket for an API family (repeatable), e.g. rental=10', collect)
    .option('--token-ttl <seconds>', 'access token lifetime (default: 3600 for v1, 1200 for v2, as documented)')
    .option('--clock <fake|date-time>', 'run on a fake clock (moved with POST /_sandbox/clock/advance)')
    .option('--no-irisx', 'account without IrisX: Customer and Rental APIs and definition writes answer 403')
    .addOption(new Option('--format <format>', 'start-up output: text or json').choices(['text', 'json']).default('text'))
    .action(async (flags: SandboxFlags) => {
      await runSandbox(parseSandboxFlags(flags), flags.format as 'text' | 'json', ctx);
    });
}

function validateCommand(program: Command, ctx: RunContext, outcome: CommandOutcome): void {
  program
    .command('validate')
    .description('Check manifests offline: YAML, schemas, references, custom field values, dates — every problem with file:line:col')
    .argument('[paths...]', 'manifest files, directories or globs (default: the manifests globs of tug.yaml)')
    .option('--config <file>', 'project configuration (default: ./tug.yaml)')
    .addOption(new Option('--format <format>', 'output: text, json, or github (pull request annotations)').choices(['text', 'json', 'github']).default('text'))
    .action(async (paths: string[], flags: ValidateFlags) => {
      outcome.exitCode = await runValidate(paths, flags, ctx);
    });
}

function planCommand(program: Command, ctx: RunContext, outcome: CommandOutcome): void {
  program
    .command('plan')
    .description('Show the minimal changes that would make the Trackunit account match the manifests (never writes)')
    .option('--config <file>', 'project configuration (default: ./tug.yaml)')
    .option('--out <file>', 'save the plan (JSON) for `tug apply <file>`')
    .addOption(new Option('--format <format>', 'output: text, markdown (pull request comment) or json').choices(['text', 'markdown', 'json']).default('text'))
    .option('--detailed-exitcode', 'exit 2 when there are changes (0: none)', false)
    .option('--target <Kind/identity>', 'plan only this object and what it depends on (repeatable; * wildcards)', collect)
    .addOption(
      new Option('--refresh <mode>', 'per-object reads: auto (new, changed, needed or due for their re-check), full (all live), none (no re-check by age)')
        .choices(['auto', 'full', 'none'])
        .default('auto'),
    )
    .option('--iris-url <url>', 'Iris API base URL (overrides tug.yaml and TRACKUNIT_IRIS_URL)')
    .option('--auth-url <url>', 'authorization server base URL')
    .option('--sandbox', 'plan against an embedded sandbox with the demo fleet', false)
    .action(async (flags: PlanFlags) => {
      outcome.exitCode = await runPlanCommand(flags, ctx);
    });
}

function exportCommand(program: Command, ctx: RunContext, outcome: CommandOutcome): void {
  program
    .command('export')
    .description('Write the live account as manifests (to adopt an existing account): read-only, never overwrites without --force')
    .option('--out <dir>', 'directory to write the manifest files into', 'manifests')
    .option('--kinds <kinds>', 'only these kinds, comma-separated (repeatable), e.g. Depot,Customer', collect)
    .addOption(new Option('--split <mode>', 'one file per kind, or one per depot with its assets and contracts').choices(['kind', 'depot']).default('kind'))
    .addOption(new Option('--format <format>', 'manifest format').choices(['yaml']).default('yaml'))
    .option('--force', 'replace files that exist already under --out', false)
    .option('--config <file>', 'project configuration (default: ./tug.yaml)')
    .option('--iris-url <url>', 'Iris API base URL (overrides tug.yaml and TRACKUNIT_IRIS_URL)')
    .option('--auth-url <url>', 'authorization server base URL')
    .option('--sandbox', 'export an embedded sandbox with the demo fleet', false)
    .action(async (flags: ExportFlags) => {
      outcome.exitCode = await runExportCommand(flags, ctx);
    });
}

function driftCommand(program: Command, ctx: RunContext, outcome: CommandOutcome): void {
  program
    .command('drift')
    .description('Compare the whole account with the manifests (read-only, everything read live) and classify each difference')
    .addOption(new Option('--format <format>', 'output: text, markdown (an issue body) or json').choices(['text', 'markdown', 'json']).default('text'))
    .option('--fail-on <classes>', 'exit 2 only for drift of these classes: 1-5 or live-changed, git-ahead, deleted, unmanaged, irreversible (default: all)', collect)
    .option('--config <file>', 'project configuration (default: ./tug.yaml)')
    .option('--iris-url <url>', 'Iris API base URL (overrides tug.yaml and TRACKUNIT_IRIS_URL)')
    .option('--auth-url <url>', 'authorization server base URL')
    .option('--sandbox', 'compare against an embedded sandbox with the demo fleet', false)
    .action(async (flags: DriftFlags) => {
      outcome.exitCode = await runDriftCommand(flags, ctx);
    });
}

function githubCommand(program: Command, ctx: RunContext, outcome: CommandOutcome): void {
  const github = program.command('github').description('The GitOps loop in GitHub Actions: the plan comment, the approved-plan apply, the drift issue');
  const connection = (command: Command) =>
    command
      .option('--config <file>', 'project configuration (default: ./tug.yaml)')
      .option('--iris-url <url>', 'Iris API base URL (overrides tug.yaml and TRACKUNIT_IRIS_URL)')
      .option('--auth-url <url>', 'authorization server base URL');
  connection(github.command('comment').description('On a pull request: post or update its one plan comment from a plan file, and keep the plan for the apply after merge'))
    .requiredOption('--plan <file>', 'the plan file `tug plan --out` wrote')
    .action(async (flags: GitHubFlags) => {
      outcome.exitCode = await runGitHubComment(flags, ctx);
    });
  connection(github.command('apply').description('On a push to main: apply exactly the plan approved on the merged pull request, or nothing (exit 4)')).action(async (flags: GitHubFlags) => {
    outcome.exitCode = await runGitHubApply(flags, ctx);
  });
  connection(github.command('drift').description('On a schedule: tug drift, then open, update or close the one tug-drift issue')).action(async (flags: GitHubFlags) => {
    outcome.exitCode = await runGitHubDrift(flags, ctx);
  });
}

function applyCommand(program: Command, ctx: RunContext, outcome: CommandOutcome): void {
  program
    .command('apply')
    .description('Apply a reviewed plan file (or, with --yes, plan and apply in one go): locked, journalled, resumable')
    .argument('[plan]', 'plan file written by `tug plan --out plan.json`')
    .option('--yes', 'without a plan file: plan and apply in one go (scripted use); continues an unfinished apply of the same plan', false)
    .option('--resume', 'finish an interrupted or partial apply: of this plan file, or without one the last apply (its journal keeps the plan)', false)
    .option('--max-changes <n>', 'stop cleanly after starting this many changes (resumable)')
    .option('--max-duration <duration>', 'stop cleanly at the first change boundary after this long, e.g. 10m (resumable)')
    .option('--config <file>', 'project configuration (default: ./tug.yaml)')
    .addOption(new Option('--format <format>', 'report: text, markdown or json').choices(['text', 'markdown', 'json']).default('text'))
    .option('--iris-url <url>', 'Iris API base URL (overrides tug.yaml and TRACKUNIT_IRIS_URL)')
    .option('--auth-url <url>', 'authorization server base URL')
    .option('--sandbox', 'apply to an embedded sandbox with the demo fleet (fresh each run)', false)
    .action(async (plan: string | undefined, flags: ApplyFlags) => {
      outcome.exitCode = await runApplyCommand(plan, flags, ctx);
    });
}

function doctorCommand(program: Command, ctx: RunContext, outcome: CommandOutcome): void {
  program
    .command('doctor')
    .description('Check configuration, credentials, clock skew, API entitlements and response shapes against Trackunit')
    .option('--iris-url <url>', 'Iris API base URL (default: TRACKUNIT_IRIS_URL or https://iris.trackunit.com)')
    .option('--auth-url <url>', 'authorization server base URL (default: TRACKUNIT_AUTH_URL or https://auth.trackunit.com)')
    .option('--sandbox', 'check an embedded sandbox instead (no credentials needed)', false)
    .addOption(new Option('--format <format>', 'output: text or json').choices(['text', 'json']).default('text'))
    .action(async (flags: DoctorFlags) => {
      outcome.exitCode = await runDoctorCommand(flags, ctx);
    });
}

function snapshotCommand(program: Command, ctx: RunContext, outcome: CommandOutcome): void {
  program
    .command('snapshot')
    .description('Export the ISO 15143-3 fleet snapshot (hour meters, positions, asset ids) as JSON, CSV or NDJSON, cached by the 15-minute rule')
    .addOption(new Option('--format <format>', 'output: json, csv or ndjson').choices(['json', 'csv', 'ndjson']).default('json'))
    .option('--out <file>', 'write to this file (atomically) instead of stdout')
    .option('--id <identifier>', 'one asset by PIN/VIN or serial number (single-element endpoint)')
    .option('--max-age <duration>', 'serve cached responses younger than this: 15m, 2h, 1d (never under 15m without the pool flag)', '15m')
    .option('--state-dir <dir>', "a local directory for the ISO cache instead of the project's state store (tug.yaml `state`; with --sandbox a temporary one)")
    .option('--iris-url <url>', 'Iris API base URL (default: TRACKUNIT_IRIS_URL or https://iris.trackunit.com)')
    .option('--auth-url <url>', 'authorization server base URL (default: TRACKUNIT_AUTH_URL or https://auth.trackunit.com)')
    .option('--sandbox', 'read an embedded sandbox (demo fleet, no credentials needed)', false)
    .option('--use-troubleshooting-pool', "allow requests inside a URL's 15-minute window, spending its 50-request troubleshooting pool", false)
    .action(async (flags: SnapshotFlags) => {
      outcome.exitCode = await runSnapshotCommand(flags, ctx);
    });
}

function unlockCommand(program: Command, ctx: RunContext, outcome: CommandOutcome): void {
  program
    .command('unlock')
    .description('Show who holds the apply lock (state directory, or the account\'s lock in the state database); with --force remove it (when that apply is surely gone)')
    .option('--force', 'remove the lock, whoever holds it (postgres: also ends the holder\'s database session)', false)
    .option('--config <file>', 'project configuration (default: ./tug.yaml)')
    .option('--state-dir <dir>', 'local state directory (default: stateDir of tug.yaml, or state/)')
    .addOption(new Option('--format <format>', 'output: text or json').choices(['text', 'json']).default('text'))
    .action(async (flags: UnlockFlags) => {
      outcome.exitCode = await runUnlock(flags, ctx);
    });
}

function stateCommand(program: Command, ctx: RunContext, outcome: CommandOutcome): void {
  const state = program.command('state').description('Inspect or prepare the state store (tug.yaml `state`: local directory or PostgreSQL)');
  state
    .command('show')
    .description('Lock holder, last journals and ISO 15143-3 budget per URL (next free time, troubleshooting pool left) of the account(s)')
    .option('--config <file>', 'project configuration (default: ./tug.yaml)')
    .option('--state-dir <dir>', 'local state directory (default: stateDir of tug.yaml, or state/)')
    .option('--iris-url <url>', 'the account\'s Iris URL (default: TRACKUNIT_IRIS_URL, tug.yaml, or https://iris.trackunit.com)')
    .option('--journals <n>', 'how many recent journals to list', '5')
    .addOption(new Option('--format <format>', 'output: text or json').choices(['text', 'json']).default('text'))
    .action(async (flags: StateShowFlags) => {
      outcome.exitCode = await runStateShow(flags, ctx);
    });
  state
    .command('migrate')
    .description('Create or upgrade the postgres state backend\'s tables now (otherwise done on first use)')
    .option('--config <file>', 'project configuration (default: ./tug.yaml)')
    .addOption(new Option('--format <format>', 'output: text or json').choices(['text', 'json']).default('text'))
    .action(async (flags: { config?: string; format?: string }) => {
      outcome.exitCode = await runStateMigrate(flags, ctx);
    });
}

function demoCommand(program: Command, ctx: RunContext, outcome: CommandOutcome): void {
  program
    .command('demo')
    .description('Start the embedded sandbox with the demo fleet, then validate, plan and apply examples/ and show a second plan is empty')
    .action(async () => {
      outcome.exitCode = await runDemo(ctx);
    });
}

/** Every command, in the order `tug --help` lists them. */
const COMMANDS = [sandboxCommand, validateCommand, planCommand, applyCommand, driftCommand, exportCommand, githubCommand, doctorCommand, snapshotCommand, unlockCommand, stateCommand, demoCommand];

export function buildProgram(ctx: RunContext, outcome: CommandOutcome = { exitCode: ExitCode.ok }): Command {
  const program = rootCommand(ctx);
  for (const add of COMMANDS) add(program, ctx, outcome);
  return program;
}

/** The format errors print in: the command's own --format when given (and valid), else tug's. */
function errorFormat(program: Command, command: Command | undefined): unknown {
  return command && command !== program && command.getOptionValueSource('format') === 'cli' ? command.opts().format : program.opts().format;
}

/** Runs the CLI and returns the exit code (never calls process.exit itself). */
export async function main(argv: string[], ctx: RunContext = createRunContext()): Promise<number> {
  const outcome: CommandOutcome = { exitCode: ExitCode.ok };
  const program = buildProgram(ctx, outcome);
  let failed: Command | undefined;
  // Which command a usage error came from: its --format and its --help hint.
  for (const command of [program, ...program.commands, ...program.commands.flatMap((c) => c.commands)]) {
    command.exitOverride((error) => {
      failed = command;
      throw error;
    });
  }
  let format: unknown;
  program.hook('preAction', (_program, command) => {
    format = errorFormat(program, command);
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return outcome.exitCode;
  } catch (caught) {
    // --help and --version end with exit code 0 (commander printed them); a usage error is ours to print.
    if (caught instanceof CommanderError && caught.exitCode === 0) return ExitCode.ok;
    const error = caught instanceof CommanderError ? usageError(caught, failed) : caught;
    if (caught instanceof CommanderError) format = errorFormat(program, failed);
    const tugError = toTugError(error);
    if ((format ?? program.opts().format) === 'json') {
      writeLine(ctx.stderr, JSON.stringify({ error: tugError.toJSON() }));
    } else {
      writeLine(ctx.stderr, `${ctx.color.red('Error:')} ${tugError.message} ${ctx.color.dim(`[${tugError.code}]`)}`);
      if (tugError.hint) writeLine(ctx.stderr, `${ctx.color.dim('Hint:')} ${tugError.hint}`);
    }
    return tugError.exitCode;
  }
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`tug: ${String(error)}\n`);
      process.exitCode = ExitCode.error;
    },
  );
}
