/**
 * Writes for tests: the contract tests of the sandbox's write routes and the set-up of accounts send the
 * endpoint modules' request builders (the same ones the kinds plan with) through the client, the way apply
 * does; tug itself never writes outside apply. Calls the builders have no form for (value records,
 * asset assignments, definition deletes: tug plans none of them) are spelled here with the modules' paths.
 */
import type { Json } from '../../src/core/canonical.js';
import type { PlannedRequest } from '../../src/core/plan.js';
import type { TrackunitClient } from '../../src/trackunit/client.js';
import { fromWire, assetWrites, type Asset, type AssetPatch } from '../../src/trackunit/endpoints/assets.js';
import {
  customFieldWrites,
  DEFINITIONS_PATH,
  VALUES_PATH,
  type CreateValueInput,
  type Definition,
  type DefinitionInput,
  type EntityType,
  type FieldValue,
  type SetValueItem,
  type SetValuesResult,
  type ValueRecord,
} from '../../src/trackunit/endpoints/custom-fields.js';
import {
  CUSTOMERS_PATH,
  customersApi,
  customerWrites,
  type AssetAssignmentChange,
  type Customer,
  type CustomerAsset,
  type CustomerContact,
  type CustomerContactInput,
  type CustomerInput,
} from '../../src/trackunit/endpoints/customers.js';
import { rentalWrites, type SyncOptions, type SyncRequest, type SyncResult } from '../../src/trackunit/endpoints/rental.js';
import { siteWrites, type Site, type SiteInput } from '../../src/trackunit/endpoints/sites.js';
import type { OutcomeLookup } from '../../src/trackunit/errors.js';
import type { Page } from '../../src/trackunit/paginate.js';

const byId = (base: string, id: string) => `${base}/${encodeURIComponent(id)}`;

export function apiWrites(client: TrackunitClient) {
  const send = async <T>(request: PlannedRequest, extra: { lookup?: OutcomeLookup; headers?: Record<string, string> | undefined } = {}) => {
    const headers = 'headers' in extra ? extra.headers : request.headers;
    return client.request<T>({
      family: request.family,
      method: request.method,
      path: request.path,
      ...(request.body !== undefined ? { body: request.body } : {}),
      ...(headers ? { headers } : {}),
      idempotent: request.idempotent,
      ...(extra.lookup ? { lookup: extra.lookup } : {}),
    });
  };
  const body = async <T>(request: PlannedRequest, extra?: { lookup?: OutcomeLookup }) => (await send<T>(request, extra)).body;
  const json = (value: unknown) => value as Json;
  const byReference = (kind: OutcomeLookup['kind'], field: string, value: string | null | undefined) => (value ? { lookup: { kind, field, value } as OutcomeLookup } : {});
  const request = (family: PlannedRequest['family'], method: PlannedRequest['method'], path: string, payload?: unknown): PlannedRequest => ({
    family,
    method,
    path,
    ...(payload !== undefined ? { body: json(payload) } : {}),
    idempotent: method !== 'POST',
  });

  return {
    sites: {
      create: (input: SiteInput) => body<Site>(siteWrites.create(json(input)), byReference('site', 'externalReference', input.externalReference)),
      update: (id: string, patch: SiteInput) => body<Site>(siteWrites.update(id, json(patch))),
      remove: async (id: string) => void (await send(siteWrites.remove(id))),
    },
    customers: {
      create: (input: CustomerInput) => body<Customer>(customerWrites.create(json(input)), byReference('customer', 'externalReference', input.externalReference)),
      update: (id: string, patch: CustomerInput) => body<Customer>(customerWrites.update(id, json(patch))),
      remove: async (id: string) => void (await send(customerWrites.remove(id))),
      createContact: (customerId: string, input: CustomerContactInput) => body<CustomerContact>(customerWrites.createContact(customerId, json(input), { match: {}, exclude: [] })),
      updateContact: (customerId: string, contactId: string, patch: CustomerContactInput) =>
        body<CustomerContact>(customerWrites.updateContact(customerId, contactId, json(patch))),
      removeContact: async (customerId: string, contactId: string) => void (await send(customerWrites.removeContact(customerId, contactId))),
      /** Assign and/or unassign assets; the customer's resulting assignments (re-read when the answer holds no page). */
      assignAssets: async (customerId: string, change: AssetAssignmentChange): Promise<CustomerAsset[]> => {
        const assigned = { ...request('customers', 'POST', `${byId(CUSTOMERS_PATH, customerId)}/assets`, change), idempotent: true };
        const page = await body<Page<CustomerAsset> | undefined>(assigned);
        if (page && Array.isArray(page.content) && page.totalPages <= 1) return page.content;
        return customersApi(client).listAssignedAssets(customerId);
      },
    },
    customFields: {
      createDefinition: (input: DefinitionInput) => body<Definition>(customFieldWrites.createDefinition(json(input)), byReference('customFieldDefinition', 'key', input.key)),
      updateDefinition: (id: string, patch: DefinitionInput) => body<Definition>(customFieldWrites.updateDefinition(id, json(patch))),
      removeDefinition: async (id: string) => void (await send(request('custom-fields', 'DELETE', byId(DEFINITIONS_PATH, id)))),
      setValues: (entityId: string, entityType: EntityType | undefined, values: SetValueItem[]) =>
        body<SetValuesResult>(customFieldWrites.setValues(entityType as EntityType, entityId, json(values) as Json[])),
      createValue: (input: CreateValueInput) => body<ValueRecord>(request('custom-fields', 'POST', VALUES_PATH, input)),
      updateValue: (valueId: string, value: FieldValue) => body<ValueRecord>(request('custom-fields', 'PATCH', byId(VALUES_PATH, valueId), { value })),
      removeValue: async (valueId: string) => void (await send(request('custom-fields', 'DELETE', byId(VALUES_PATH, valueId)))),
    },
    assets: {
      update: async (id: string, patch: AssetPatch): Promise<Asset> => fromWire(await body<Asset>(assetWrites.update(id, json(patch)))),
    },
    rental: {
      /** 200 → matched; 202 → stored unmatched. `validateAssetExists` sends the header apply always sends. */
      synchronize: async (input: SyncRequest, options: SyncOptions = {}): Promise<SyncResult> => {
        const sync = rentalWrites.synchronize(json(input));
        const response = await send<{ matched?: unknown; assetId?: unknown } | undefined>(sync, { headers: options.validateAssetExists ? sync.headers : undefined });
        if (response.status === 202) return { matched: false, status: 202 };
        const assetId = typeof response.body?.assetId === 'string' ? response.body.assetId : undefined;
        return { matched: response.body?.matched !== false, ...(assetId ? { assetId } : {}), status: 200 };
      },
    },
  };
}
