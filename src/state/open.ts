/**
 * Opening the project's state store from tug.yaml's `state` section: `local` → the state directory;
 * `postgres` → the database named by TUG_STATE_DATABASE_URL (connected and migrated here, so a database
 * that cannot be used is an error before anything is read from or written to Trackunit).
 */
import type { ProjectConfig } from '../config/load.js';
import { LocalStateStore } from './local-store.js';
import { databaseFromEnv, PostgresStateStore } from './postgres/index.js';
import type { StateStore } from './store.js';

export async function openStateStore(config: Pick<ProjectConfig, 'stateDir' | 'state'>, env: NodeJS.ProcessEnv, options: { migrate?: boolean } = {}): Promise<StateStore> {
  if (config.state.backend === 'postgres') return PostgresStateStore.open(databaseFromEnv(env), { schema: config.state.schema, ...options });
  return new LocalStateStore(config.stateDir);
}
