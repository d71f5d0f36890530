/**
 * ISO 15143-3 (AEMP 2.0) fleet snapshot as a read-only data source: typed records, the cached
 * whole-fleet and single-element fetch, and the identifier lookup the plan uses.
 */
export { ISO_POOL_SIZE, ISO_URL_WINDOW_MS, type CachePolicy } from './request-windows.js';
export { CACHE_FORMAT_VERSION, IsoCache, cacheDirFor } from './cache.js';
export type { IsoRunStats } from './cached-client.js';
export { fetchIsoElement, fetchIsoSnapshot, type IsoProgress, type IsoSnapshot, type IsoSourceOptions } from './fetch.js';
export { createIsoLookup, type IsoAmbiguity, type IsoLookup, type IsoMatch, type IsoResolution } from './lookup.js';
export { normalizeIdentifier, toRecord, type IsoRecord } from './record.js';
export { SNAPSHOT_COLUMNS, toSnapshotRow, type SnapshotRow } from './row.js';
