/**
 * Names in the database: the schema (quoted identifier, validated) and the advisory lock keys. Advisory
 * locks take two int4 keys: the first is tug's class (the ASCII of "TUG1"), the second a hash of the
 * schema and account, so two schemas or two accounts never share a lock.
 */
import { createHash } from 'node:crypto';
import { ConfigError } from '../../errors.js';

export const ADVISORY_CLASS = 0x54554731;
export const DEFAULT_SCHEMA = 'tug';
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The schema as a quoted SQL identifier; only lower-case names, digits and underscores are accepted. */
export function quotedSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new ConfigError('invalid_state_schema', `state.schema "${schema}" is not a valid schema name`, {
      hint: 'Use lower-case letters, digits and underscores (at most 63), e.g. tug or tug_fleet_a.',
    });
  }
  return `"${schema}"`;
}

/** The second advisory key of an account's apply lock. */
export function lockKey(schema: string, account: string): number {
  return createHash('sha256').update(`${schema}\n${account}`).digest().readUInt32BE(0) & 0x7fffffff;
}
