/**
 * The local state directory and the files tug keeps: the apply lock, the write-ahead journal, the plan kept
 * beside it, and reading a plan file back (caches live with their sources; atomic-write.ts is the one way any
 * of them is replaced).
 */
export * from './lock.js';
export * from './journal.js';
export * from './kept-plan.js';
export * from './plan-file.js';
