/**
 * Depot: a Trackunit site of type DEPOT bound by its externalReference `tug:depot/<key>` (ownership.ts).
 * Reads the site list, and custom field values of the sites whose manifest sets `customFields`.
 */
import { desiredOfKind } from '../../core/state.js';
import { sitesApi, type Site } from '../../trackunit/endpoints/sites.js';
import type { KindDefinition } from '../env.js';
import * as validation from './checks.js';
import { hasFieldsFor, pick, readValues, valuesInventory, setsFields, storeValues, valuesRead } from '../live-reads.js';
import { depotExternalReference, depotKeyOf } from '../ownership.js';
import type { DepotManifest } from './manifest.js';
import { planDepots } from './plan.js';
import { exportDepots } from './export.js';

declare module '../../core/manifest.js' {
  interface KindManifests {
    Depot: DepotManifest;
  }
}
declare module '../../core/state.js' {
  interface LiveParts {
    sites: Site[];
  }
}

export const depotKind: KindDefinition<'Depot'> = {
  name: 'Depot',
  schemaFile: 'depot.schema.json',
  identityField: 'key',
  entityType: 'SITE',
  identity: (manifest) => manifest.key,
  validation,
  emptyLive: () => ({ sites: [] }),
  readLists: async (client) => ({ sites: await sitesApi(client).list() }),
  detailReads: (desired, live, refs, options) => {
    if (options.exportAll) return hasFieldsFor(live, 'SITE') ? live.sites.filter((s) => s.type === 'DEPOT').map((s) => valuesRead('Depot', 'SITE', s.id)) : [];
    const withFields = new Set(
      desiredOfKind(desired, 'Depot')
        .filter((d) => setsFields(d.manifest.customFields))
        .map((d) => d.identity),
    );
    return pick(live.sites, (site) => refs.depotKey(site), withFields).map((p) => valuesRead('Depot', 'SITE', p.id, p.identity));
  },
  readDetail: readValues,
  storeDetail: (live, read, result) => void storeValues(live, read, result),
  ...valuesInventory,
  listed: (live) => live.sites,
  liveIdentities: (live) => live.sites.map(depotKeyOf),
  plan: planDepots,
  exportLive: exportDepots,
  driftOf: (plan, live, { prune }) => {
    if (!prune.includes('Depot')) return [];
    const depots = new Set(live.sites.filter((s) => s.type === 'DEPOT').map((s) => s.id));
    return plan.unmanaged
      .filter((u) => u.kind === 'Depot' && depots.has(u.liveId))
      .map((u) => ({ class: 4 as const, kind: 'Depot', id: u.label, liveId: u.liveId, message: 'a DEPOT site tug does not manage; adopt it with a manifest (`tug export` writes one) to bring it under git' }));
  },
  createdLookup: (key) => ({ kind: 'site', field: 'externalReference', value: depotExternalReference(key) }),
  findByIdentity: async (client, key) => {
    const reference = depotExternalReference(key);
    return (await sitesApi(client).list({ externalReference: reference })).find((s) => s.externalReference === reference)?.id;
  },
};
