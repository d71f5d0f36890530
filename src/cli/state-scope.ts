/**
 * Which state `tug unlock` and `tug state` look at: the project's store (tug.yaml `state`, or
 * `--state-dir` for a local directory) and the accounts in it. The account is the one the credentials in
 * the environment name (as plan and apply would use); without credentials, every account the store
 * holds — one is unambiguous, several must be told apart by setting the credentials.
 */
import { resolve } from 'node:path';
import { loadProjectConfig, type ProjectConfig } from '../config/load.js';
import { ConfigError } from '../errors.js';
import { accountOf, LocalStateStore, openStateStore, type Account, type StateStore } from '../state/index.js';
import { authFromEnv, DEFAULT_IRIS_URL } from '../trackunit/config.js';
import type { RunContext } from './context.js';

export interface StateFlags {
  config?: string;
  stateDir?: string;
  irisUrl?: string;
}

export async function openProjectState(flags: StateFlags, ctx: RunContext, options: { migrate?: boolean } = {}): Promise<{ config: ProjectConfig; store: StateStore }> {
  const config = await loadProjectConfig({ cwd: ctx.cwd, configPath: flags.config });
  if (flags.stateDir !== undefined) {
    if (config.state.backend !== 'local') throw new ConfigError('invalid_option', '--state-dir names a local state directory, but tug.yaml chooses the postgres state backend');
    return { config, store: new LocalStateStore(resolve(ctx.cwd, flags.stateDir)) };
  }
  return { config, store: await openStateStore(config, ctx.env, options) };
}

/** The account the environment's credentials name, if they are set. */
export function accountFromEnv(config: ProjectConfig, flags: StateFlags, env: NodeJS.ProcessEnv): Account | undefined {
  let auth;
  try {
    auth = authFromEnv(env, config.trackunit.scopes);
  } catch {
    return undefined;
  }
  const irisUrl = flags.irisUrl ?? env.TRACKUNIT_IRIS_URL ?? config.trackunit.irisUrl ?? DEFAULT_IRIS_URL;
  return accountOf({ irisUrl, auth });
}

/** The accounts to show: the environment's, else every one in the store. */
export async function accountsInScope(store: StateStore, config: ProjectConfig, flags: StateFlags, env: NodeJS.ProcessEnv): Promise<Account[]> {
  const own = accountFromEnv(config, flags, env);
  if (own) return [own];
  return (await store.accounts()).map((a) => ({ key: a.key, irisUrl: a.irisUrl ?? '' }));
}

/**
 * The one account whose lock a command acts on. A local store's lock belongs to its directory (any
 * account will do); a database holds one lock per account: the environment's, or the only one there is.
 */
export async function lockAccount(store: StateStore, config: ProjectConfig, flags: StateFlags, env: NodeJS.ProcessEnv): Promise<Account | undefined> {
  if (store.backend === 'local') return accountFromEnv(config, flags, env) ?? { key: 'local', irisUrl: '' };
  const accounts = await accountsInScope(store, config, flags, env);
  if (accounts.length <= 1) return accounts[0];
  throw new ConfigError(
    'account_ambiguous',
    `The ${store.description} holds state for ${accounts.length} accounts (${accounts.map((a) => a.key).join(', ')}); which one is meant?`,
    {
      hint: 'Set TRACKUNIT_CLIENT_ID (and TRACKUNIT_IRIS_URL if not the default) as for plan and apply: the account is the one they name.',
    },
  );
}
