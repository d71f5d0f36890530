/**
 * The contract of a resource kind (Depot, Customer, …): everything tug knows about one kind lives in
 * its folder, src/kinds/<kind>/, behind this one interface, and src/kinds/registry.ts lists the kinds.
 * The core defines the contract and runs it; it imports nothing outside src/core.
 *
 * Two things a kind adds to shared types, without editing the core, by declaration merging (the way
 * TypeScript plug-in systems extend an interface from another module):
 *
 *   declare module '../../core/manifest.js' {  // and '../../core/state.js' for LiveParts
 *     interface KindManifests { Depot: DepotManifest }    // the kind's name and manifest type
 *     interface LiveParts { sites: Site[] }               // what it reads of the live account
 *   }
 *
 * `KindName`, `Manifest` and `LiveState` are derived from those, so a new kind is one folder, one
 * registry line and one levels row (src/kinds/levels.ts), its schema and its endpoint module (README,
 * "Adding a kind").
 *
 * The I/O a kind does (reading its lists, finding what a create made) is typed by the kind's
 * environment `E` — the API client, the per-plan context, the validation and look-up types — which
 * src/kinds/env.ts binds; the core only passes those values through.
 */
import type { Json } from './canonical.js';
import type { Change, Plan, PlanProblem } from './plan.js';
import type { DriftItem } from './drift.js';
import type { KindPlan, PlanInput } from './planner.js';
import type { KindName, ManifestOf } from './manifest.js';
import type { DesiredState, LiveState } from './state.js';

export type { KindManifests, KindName, Manifest, ManifestOf } from './manifest.js';

/** What the plan's reads know besides the desired state: tug.yaml's prune kinds and where state lives. */
export interface ReadOptions<S = unknown> {
  prune: KindName[];
  /** The state store (the ISO 15143-3 cache lives in it); needed only by reads of the snapshot. */
  state?: S;
  now?: () => number;
  /** `tug export`: the per-object reads of every live object the kind can write as a manifest, not only those manifests name. */
  exportAll?: boolean;
}

/** One live object written as a manifest by `tug export`: plain data, fields in the order they are written. */
export interface ExportedObject {
  kind: KindName;
  /** The identity the manifest names it by (`Depot/<identity>`). */
  identity: string;
  liveId: string;
  manifest: { [field: string]: Json };
  /** The Depot key it belongs with under `--split depot` (a depot itself, an asset's owning depot, a contract's hiring depot). */
  depot?: string;
}

/** A live object (or part of one) `tug export` could not write, and why: listed in its report, never dropped silently. */
export interface ExportSkip {
  kind: KindName;
  liveId: string;
  /** What a person recognises it by (name, reference). */
  label: string;
  reason: string;
  /** Only this part was left out (e.g. one contract item, an owning depot); absent: the whole object. */
  part?: string;
}

export interface ExportResult {
  objects: ExportedObject[];
  skipped: ExportSkip[];
}

/**
 * One read of per-object details that have no list form (a contract's items, an entity's custom field
 * values), as plain data: chosen by its kind from the manifests and the lists (detailReads), run by the
 * I/O layer with a queue per API family (the kind's readDetail), and stored into the live state in the
 * order the kinds chose them (storeDetail). `kind`, `part` and `liveId` are the key an inventory of
 * reads can keep it by. Plain data, so 20,000 of them cost 20,000 small objects, not closures.
 */
export interface DetailRead {
  kind: KindName;
  /** What is read: `values`, `contacts`, `contractItems`, … */
  part: string;
  /** Of which live object ('' for a read about many, e.g. the ISO snapshot for telematics). */
  liveId: string;
  family: string;
  /** The entity type of a custom field values read. */
  entityType?: string;
  /** The live objects a read about many is for. */
  ids?: string[];
  /** The object's identity as manifests and `--target` name it (a manifest naming it is compared against). */
  identity?: string;
}

/** The types a kind's I/O and checks use, bound by the registry (the core only passes them through). */
export interface KindEnv {
  /** The API client the kind reads and looks up with. */
  io: unknown;
  /** Context built once per plan from both states (e.g. reference resolution). */
  ctx: unknown;
  /** What the kind brings to validation: its own checks and the hooks the checks across kinds read. */
  validation: unknown;
  /** How the client and the journal re-read an object after an ambiguous create. */
  lookup: unknown;
  /** Entity type of custom field values. */
  entityType: string;
  /** Where reads keep state between runs (the ISO 15143-3 cache). */
  state: unknown;
  /** How `tug export` names live objects across kinds (depot keys, asset identifiers), built once from the live state. */
  names: unknown;
}

export interface ResourceKind<K extends KindName = KindName, E extends KindEnv = KindEnv> {
  readonly name: K;
  /** Dependency level of the kind's creates and updates: the table is in src/kinds/registry.ts. */
  readonly level: number;
  /** File in schemas/ validating one document of this kind. */
  readonly schemaFile: string;
  /** The identity field(s) for messages, e.g. `key`. */
  readonly identityField: string;
  /** Entity type of the kind's custom field values (undefined: the kind carries none). */
  readonly entityType?: E['entityType'];
  /** The identity a manifest is matched by (`Kind/identity`); undefined when the document lacks it. */
  identity(manifest: ManifestOf<K>): string | undefined;
  /** Checks a schema cannot express and hooks for the checks across kinds (src/manifests/checks runs them). */
  readonly validation: E['validation'];
  /** The kind's parts of an empty live state. */
  emptyLive(): Partial<LiveState>;
  /** Reads the kind's lists (the cheap, complete view of the account). */
  readLists(io: E['io'], desired: DesiredState, options: ReadOptions<E['state']>): Promise<Partial<LiveState>>;
  /** The per-object reads a plan needs, given the lists (only where a manifest can make a difference). */
  detailReads?(desired: DesiredState, live: LiveState, ctx: E['ctx'], options: ReadOptions<E['state']>): DetailRead[];
  /** Runs one of the kind's detail reads. */
  readDetail?(io: E['io'], read: DetailRead, options: ReadOptions<E['state']>): Promise<unknown>;
  /** Puts its result into the live state; may return a warning (informational reads never fail a plan). */
  storeDetail?(live: LiveState, read: DetailRead, result: unknown): string | void;
  /**
   * What the inventory keeps of a read's result (default: all of it), e.g. custom field values without
   * the definitions every response repeats; `unpackDetail` gives the result back from it and the lists
   * (undefined when it cannot: the read is then made live).
   */
  packDetail?(read: DetailRead, result: unknown): Json;
  unpackDetail?(read: DetailRead, packed: Json, live: LiveState): unknown;
  /**
   * The kind's live objects as its lists show them: the inventory (src/core/inventory.ts) re-reads an
   * object's details when its list entry changes. Needed by every kind with per-object reads.
   */
  listed?(live: LiveState): Iterable<{ id: string }>;
  /**
   * Live ids, besides the change's own `liveId`, whose per-object reads `change` was computed from, for
   * the changes this kind plans (it is asked about every change): a plan reads them live before it offers
   * the change (e.g. a rental sync of an asset reads the items of every contract on the asset).
   */
  detailsOf?(change: Change, live: LiveState): string[];
  /**
   * The reads apply will make because of what `change` creates, beyond the generic count (one per API
   * family a create writes to after its first request, see src/plan/run-plan.ts): a rental sync creates
   * contracts (the convergence check reads their items), a contract's create finds the contract its sync
   * made. As `family:what` keys, deduplicated across changes.
   */
  createdReads?(change: Change, live: LiveState): string[];
  /** Every identity a `--target` may name among the live objects. */
  liveIdentities(live: LiveState): Iterable<string | null | undefined>;
  /** The kind's changes. Pure. */
  plan(input: PlanInput, ctx: E['ctx']): KindPlan;
  /** How the client and the journal re-read the object a create of `identity` made (undefined: none). */
  createdLookup?(identity: string): E['lookup'];
  /** The live id of `identity`, or undefined when no such object exists (after an ambiguous create). */
  findByIdentity?(io: E['io'], identity: string): Promise<string | undefined>;
  /**
   * After an ambiguous create of a part without identity (a customer's contact): the id of an object in
   * the collection `path` the create was posted to whose fields equal `match`, not in `excluded`.
   */
  findByContent?(io: E['io'], path: string, match: { [field: string]: Json }, excluded: ReadonlySet<string>): Promise<string | undefined>;
  /**
   * `tug export`: the kind's live objects as manifests (read with `exportAll`), and what it could not
   * express. Deterministic: the same live state gives the same objects in the same order.
   */
  exportLive?(live: LiveState, names: E['names']): ExportResult;
  /**
   * `Kind/identity` of every manifest a change of this kind was planned from (default: the change's own),
   * for `tug drift`'s record of what was last applied: a rental sync comes from its Asset manifest and
   * the Contract manifests whose items are on the asset.
   */
  sourcesOf?(change: Change): string[];
  /**
   * `tug drift`: what of this kind a full plan shows that is drift of class 4 (an object in a prune scope
   * tug does not manage) or 5 (changed in Trackunit in a way tug cannot revert), see src/core/drift.ts.
   */
  driftOf?(plan: Plan, live: LiveState, options: { prune: KindName[] }): DriftItem[];
}

/**
 * A check over the whole plan after --target, for rules that span kinds (e.g. deletes that live rental
 * data still uses): it may add dependencies between changes and report problems.
 */
export type PlanGuard = (changes: Change[], input: PlanInput) => { changes: Change[]; problems: PlanProblem[] };

/** The kinds, in dependency order, and what spans them: what buildPlan receives. */
export interface KindRegistry<E extends KindEnv = KindEnv> {
  readonly kinds: ReadonlyArray<ResourceKind<KindName, E>>;
  /** Built once per plan from both states and handed to every kind (e.g. reference resolution). */
  context(desired: DesiredState, live: LiveState): E['ctx'];
  readonly guards: readonly PlanGuard[];
  /** Built once per export from the live state and handed to every kind's exportLive. */
  exportNames(live: LiveState): E['names'];
}
