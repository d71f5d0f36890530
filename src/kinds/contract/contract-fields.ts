/**
 * A contract's custom field values (entity RENTAL_CONTRACT, entityId = the rental contract id), level 4:
 * after the syncs, because a contract new to Trackunit only comes into being through one of its items'
 * synchronization. Such a contract is addressed by `{"$ref": "Contract/<externalReference>"}` and the
 * change is a `create` that waits for those syncs.
 */
import type { Json } from '../../core/canonical.js';
import { fingerprint } from '../../core/canonical.js';
import type { Change } from '../../core/plan.js';
import type { PlanInput } from '../../core/planner.js';
import type { DesiredObject } from '../../core/state.js';
import type { Contract } from '../../trackunit/endpoints/rental.js';
import { definitionDependencies, planCustomFieldValues, type FieldTypeInfo } from '../custom-field-values.js';
import { LEVELS } from '../levels.js';
import { makeChange } from '../plan-helpers.js';
import type { ContractManifest } from './manifest.js';


/**
 * The set-values change of one contract, or undefined when nothing differs — or when the contract is
 * not live and no sync of this plan creates it (its items' problems already say why).
 */
export function planContractFields(
  doc: DesiredObject<ContractManifest>,
  live: Contract | undefined,
  input: PlanInput,
  fieldTypes: Map<string, FieldTypeInfo>,
  creatingSyncs: string[],
): Change | undefined {
  const m = doc.manifest;
  if (m.customFields === undefined || (!live && creatingSyncs.length === 0)) return undefined;
  const values = live ? (input.live.values[live.id] ?? []) : undefined;
  const entityId = live ? live.id : { $ref: `Contract/${m.externalReference}` };
  const cf = planCustomFieldValues({ entityType: 'RENTAL_CONTRACT', entityId, desired: m.customFields, live: values, fieldTypes });
  if (!cf) return undefined;
  const dependsOn = [...(live ? [] : creatingSyncs), ...definitionDependencies(Object.keys(m.customFields), input.desired, input.live)];
  const change = makeChange({
    op: live ? 'update' : 'create',
    kind: 'Contract',
    id: m.externalReference,
    ...(live ? { liveId: live.id, before: { customFields: cf.before }, fingerprint: fingerprint({ contract: live, values } as unknown as Json) } : {}),
    after: { customFields: cf.after },
    requests: [cf.request],
    reason: doc.location,
    dependsOn,
  });
  return { ...change, level: LEVELS.contractFields }; // after the rental syncs
}
