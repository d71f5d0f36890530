/**
 * Command-line mistakes (an unknown flag, a value outside a flag's choices, a missing argument) as
 * TugErrors, so they follow the same contract as every other error: `Error: … [code]` plus a hint in
 * text, `{"error": …}` with `--format json`, exit code 1. Commander finds them; this names them.
 */
import type { Command, CommanderError } from 'commander';
import { ConfigError } from '../errors.js';

const CODES: Record<string, string> = {
  'commander.unknownOption': 'unknown_option',
  'commander.unknownCommand': 'unknown_command',
  'commander.invalidArgument': 'invalid_option',
  'commander.optionMissingArgument': 'missing_option_value',
  'commander.missingArgument': 'missing_argument',
  'commander.missingMandatoryOptionValue': 'missing_option',
  'commander.excessArguments': 'too_many_arguments',
  'commander.conflictingOption': 'conflicting_options',
  'commander.help': 'missing_command',
};

/** `tug plan` for the plan command, `tug` for the program itself. */
function commandPath(command: Command | undefined): string {
  const names: string[] = [];
  for (let c: Command | null | undefined = command; c; c = c.parent) names.unshift(c.name());
  return names.length > 0 ? names.join(' ') : 'tug';
}

/** Commander's "error: …\n(Did you mean --out?)" as one sentence without the prefix. */
function message(error: CommanderError): string {
  if (error.code === 'commander.help') return 'no command given';
  return error.message
    .replace(/^error: /, '')
    .replace(/\n\(Did you mean (.+)\?\)$/, ' (did you mean $1?)')
    .trim();
}

export function usageError(error: CommanderError, command: Command | undefined): ConfigError {
  const path = commandPath(command);
  return new ConfigError(CODES[error.code] ?? 'usage_error', message(error), {
    hint: `\`${path} --help\` lists the ${error.code === 'commander.help' || error.code === 'commander.unknownCommand' ? 'commands' : 'options'}.`,
    meta: { command: path },
  });
}
