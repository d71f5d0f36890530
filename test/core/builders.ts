/**
 * Tiny builders for pure planner tests: desired objects from manifests, live objects with every field
 * the API answers (defaults filled, override what the test is about), and plan options with the policy
 * defaults. Shared by the kind planner tests; keep them generic.
 */
import type { PlanInput, PlanOptions } from '../../src/core/planner.js';
import { createRefs, type Refs } from '../../src/kinds/refs.js';
import type { SafetyPolicy } from '../../src/core/safety.js';
import type { DesiredObject, DesiredState, LiveState } from '../../src/core/state.js';
import { emptyLiveState, identityOf, type Manifest } from '../../src/kinds/registry.js';
import { DEFAULT_LIMITS } from '../../src/trackunit/config.js';
import type { Definition, EntityField, FieldValue } from '../../src/trackunit/endpoints/custom-fields.js';
import type { Asset } from '../../src/trackunit/endpoints/assets.js';
import type { Customer, CustomerContact } from '../../src/trackunit/endpoints/customers.js';
import type { Contract } from '../../src/trackunit/endpoints/rental.js';
import type { Site } from '../../src/trackunit/endpoints/sites.js';

export { emptyLiveState };

/**
 * A desired object as the manifest loader would make it. `positions` maps a dotted path (`type`,
 * `options`, `customFields.depotManager`) to its `line:col`; other paths locate at the document's line.
 */
export function desiredObject<M extends Manifest>(manifest: M, file = 'manifests/test.yaml', line = 1, positions: Record<string, string> = {}): DesiredObject<M> {
  return {
    manifest,
    identity: identityOf(manifest) ?? '',
    location: `${file}:${line}`,
    locate: (path) => `${file}:${positions[path.join('.')] ?? `${line}:1`}`,
  };
}

export function desiredState(...objects: DesiredObject[]): DesiredState {
  return { objects };
}

export function defaultPolicy(over: Partial<SafetyPolicy> = {}): SafetyPolicy {
  return { maxDeletes: {}, maxUpdates: {}, guardEmptyDesiredState: true, protect: [], ...over };
}

export function planOptions(over: Partial<PlanOptions> = {}): PlanOptions {
  return { prune: [], policy: defaultPolicy(), limits: DEFAULT_LIMITS, ...over };
}

/** A PlanInput and its Refs, ready for a KindPlanner. */
export function planInput(objects: DesiredObject[], live: Partial<LiveState> = {}, options: Partial<PlanOptions> = {}): [PlanInput, Refs] {
  const input: PlanInput = { desired: desiredState(...objects), live: { ...emptyLiveState(), ...live }, options: planOptions(options) };
  return [input, createRefs(input.desired, input.live)];
}

export function liveSite(over: Partial<Site> & Pick<Site, 'id' | 'name'>): Site {
  return { type: 'DEPOT', status: 'ACTIVE', description: null, externalReference: null, startDate: null, endDate: null, address: null, area: null, ...over };
}

export function liveCustomer(over: Partial<Customer> & Pick<Customer, 'id' | 'name'>): Customer {
  return { type: 'OTHER', externalReference: null, address: null, phoneNumber: null, email: null, website: null, ...over };
}

export function liveAsset(over: Partial<Asset> & Pick<Asset, 'id'>): Asset {
  return { name: `Asset ${over.id}`, assetType: 'MACHINE', type: null, brand: null, model: null, serialNumber: null, productionYear: null, externalReference: null, telematicsDevices: [], ownerAccountId: 'acc', rentalStatus: null, owningDepotId: null, ...over };
}

export function liveContract(over: Partial<Contract> & Pick<Contract, 'id' | 'externalReference'>): Contract {
  return { contractStatus: 'OPEN', startDate: null, endDate: null, customerId: 'cust-1', hiringDepotId: null, ...over };
}

export function liveContact(over: Partial<CustomerContact> & Pick<CustomerContact, 'id' | 'customerId' | 'name'>): CustomerContact {
  return { email: null, phoneNumber: null, title: null, ...over };
}

export function liveDefinition(over: Partial<Definition> & Pick<Definition, 'id' | 'key' | 'type' | 'entityType'>): Definition {
  return {
    owner: 'ACCOUNT',
    title: over.key,
    description: null,
    translations: [],
    uiVisible: true,
    uiEditable: true,
    scopeType: 'ACCOUNT',
    minimum: null,
    maximum: null,
    unitSi: null,
    unitUs: null,
    isInteger: over.type === 'NUMBER' ? false : null,
    minimumLength: null,
    maximumLength: null,
    pattern: null,
    allValues: null,
    multiSelect: over.type === 'DROPDOWN' ? false : null,
    currency: null,
    ...over,
  };
}

/** One field of an entity as GET values answers it (value null: the field is not set). */
export function entityField(definition: Definition, entityId: string, value: FieldValue | null): EntityField {
  return {
    definition,
    value:
      value === null
        ? null
        : { id: `value-${definition.id}-${entityId}`, definitionId: definition.id, definitionKey: definition.key, entityId, entityType: definition.entityType, value, lastIncompatibleValue: null },
  };
}
