/**
 * What the core's kind contract (src/core/kind.ts) is bound to in tug: the Trackunit client for reads
 * and look-ups, the per-plan reference resolution (refs.ts), manifest checks, and the client's
 * outcome look-up after an ambiguous create.
 */
import type { KindEnv, KindName, ReadOptions, ResourceKind } from '../core/kind.js';

import type { TrackunitClient } from '../trackunit/client.js';
import type { OutcomeLookup } from '../trackunit/errors.js';
import type { EntityType } from './common.js';
import type { Refs } from './refs.js';
import type { ExportNames } from './export-names.js';
import type { KindChecks } from '../manifests/checks/hooks.js';
import type { IsoStateSource } from '../sources/iso15143/ledger.js';

export interface TugEnv extends KindEnv {
  io: TrackunitClient;
  ctx: Refs;
  validation: KindChecks;
  lookup: OutcomeLookup;
  entityType: EntityType;
  state: IsoStateSource;
  names: ExportNames;
}

/** The plan's read options as tug's kinds see them. */
export type TugReadOptions = ReadOptions<TugEnv['state']>;

export type TugKind<K extends KindName = KindName> = ResourceKind<K, TugEnv>;

/** A kind as its folder defines it; the registry gives it its level from LEVELS (levels.ts). */
export type KindDefinition<K extends KindName = KindName> = Omit<TugKind<K>, 'level'>;
