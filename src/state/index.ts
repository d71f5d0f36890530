/**
 * What tug keeps between runs, behind the StateStore interface (store.ts) with two backends: the local
 * state directory (local-store.ts over lock.ts, journal.ts, kept-plan.ts) and PostgreSQL (postgres/).
 * Also reading a plan file back, and the one way any file is replaced (atomic-write.ts).
 */
export * from '../trackunit/account.js';
export * from './lock.js';
export * from './journal.js';
export * from './kept-plan.js';
export * from './plan-file.js';
export * from './store.js';
export { LocalStateStore } from './local-store.js';
export { openStateStore } from './open.js';
