/** The local state directory: the apply lock and the write-ahead journal (caches live with their sources). */
export * from './lock.js';
export * from './journal.js';
export * from './kept-plan.js';
