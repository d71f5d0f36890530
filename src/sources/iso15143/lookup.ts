/**
 * Identifier resolution for the plan: which Trackunit asset does a manifest's `pin` (or serial number)
 * name? Built once from the snapshot's records, then answered from memory. Pure: no I/O, no clock.
 *
 * Matching uses the normalised form (upper case, spaces and dashes removed — normalizeIdentifier), so
 * `wnce-0506 ppal01234` finds `WNCE0506PPAL01234`. The PIN is tried first, then the equipment serial
 * number (which holds the device serial when the machine's is unknown, iso-export.md). Two different
 * assets behind one normalised identifier are reported as ambiguous, never guessed; one asset listed
 * twice (a snapshot read while the fleet changed) counts once.
 */
import { normalizeIdentifier, type IsoRecord } from './record.js';

/** Which identifier matched. */
export type IsoMatchField = 'pin' | 'serialNumber';

/** Exactly one asset has the identifier. */
export interface IsoMatch {
  match: 'unique';
  by: IsoMatchField;
  /** Trackunit asset id (Metadata.MachineId); absent when the snapshot was read without metadata. */
  assetId?: string;
  serialNumber?: string;
  externalReference?: string;
  record: IsoRecord;
}

/** Several assets share the normalised identifier: the manifest must name the asset another way. */
export interface IsoAmbiguity {
  match: 'ambiguous';
  by: IsoMatchField;
  /** The normalised identifier they share. */
  key: string;
  candidates: IsoRecord[];
}

export type IsoResolution = IsoMatch | IsoAmbiguity;

export interface IsoLookup {
  /** Resolve a PIN/VIN or serial number; undefined when no asset has it. */
  resolve(identifier: string): IsoResolution | undefined;
  /** Every normalised PIN shared by more than one asset (for a diagnostic up front). */
  ambiguousPins(): IsoAmbiguity[];
  /** Assets indexed (after collapsing duplicates of one asset). */
  readonly size: number;
}

/** The same asset listed twice: same Trackunit id, or without ids the very same identifiers. */
function identity(record: IsoRecord): string {
  return record.metadata?.machineId ?? `${record.pinKey ?? ''}\u0000${record.serialNumber ?? ''}\u0000${record.equipmentId ?? ''}`;
}

function indexBy(records: IsoRecord[], key: (r: IsoRecord) => string | undefined): Map<string, IsoRecord[]> {
  const index = new Map<string, IsoRecord[]>();
  for (const record of records) {
    const k = key(record);
    if (k === undefined) continue;
    const list = index.get(k);
    if (list) list.push(record);
    else index.set(k, [record]);
  }
  return index;
}

function resolution(by: IsoMatchField, key: string, candidates: IsoRecord[]): IsoResolution {
  const [only] = candidates;
  if (candidates.length > 1 || only === undefined) return { match: 'ambiguous', by, key, candidates };
  const out: IsoMatch = { match: 'unique', by, record: only };
  if (only.metadata?.machineId !== undefined) out.assetId = only.metadata.machineId;
  if (only.serialNumber !== undefined) out.serialNumber = only.serialNumber;
  if (only.metadata?.externalReference !== undefined) out.externalReference = only.metadata.externalReference;
  return out;
}

export function createIsoLookup(records: Iterable<IsoRecord>): IsoLookup {
  const unique = new Map<string, IsoRecord>();
  for (const record of records) if (!unique.has(identity(record))) unique.set(identity(record), record);
  const list = [...unique.values()];
  const byPin = indexBy(list, (r) => r.pinKey);
  const bySerial = indexBy(list, (r) => normalizeIdentifier(r.serialNumber));

  return {
    size: list.length,
    resolve(identifier) {
      const key = normalizeIdentifier(identifier);
      if (key === undefined) return undefined;
      const pinMatches = byPin.get(key);
      if (pinMatches) return resolution('pin', key, pinMatches);
      const serialMatches = bySerial.get(key);
      return serialMatches ? resolution('serialNumber', key, serialMatches) : undefined;
    },
    ambiguousPins() {
      return [...byPin.entries()]
        .filter(([, candidates]) => candidates.length > 1)
        .map(([key, candidates]) => ({ match: 'ambiguous' as const, by: 'pin' as const, key, candidates }));
    },
  };
}
