/**
 * Shared vocabulary of the Custom Fields API emulation: paths, enums, scopes, and how a value's
 * `entityId` is found in the store. The [documented]/[assumed] list lives in ../custom-fields.ts.
 */
import { forbidden, notFound, type RequestContext } from '../../http.js';
import type { Store } from '../../store.js';
import type { RouteDef } from '../../router.js';

export const CF_BASE = '/api/custom-fields/v1';

export const FIELD_TYPES = ['BOOLEAN', 'DATE', 'DROPDOWN', 'EMAIL', 'NUMBER', 'PHONE_NUMBER', 'STRING', 'WEB_ADDRESS', 'JSON', 'MONETARY'] as const;
export const ENTITY_TYPES = ['ACCOUNT', 'ASSET', 'GROUP', 'SITE', 'CUSTOMER', 'RENTAL_CONTRACT'] as const;
export const SCOPE_TYPES = ['ACCOUNT', 'ACCOUNT_WRITE_GLOBAL_READ', 'GLOBAL'] as const;

export const DEFINITION_READ_SCOPES = ['account.view', 'asset.view', 'account.custom-fields.manage'];
export const DEFINITION_WRITE_SCOPES = ['account.custom-fields.manage'];
export const VALUE_READ_SCOPES = ['asset.view', 'account.view'];

/** [assumed] The v2 scope that lets a key write values on each entity type. */
const ENTITY_WRITE_SCOPE: Record<string, string> = {
  ASSET: 'account.asset.manage',
  RENTAL_CONTRACT: 'account.asset.manage',
  SITE: 'account.site.manage',
  CUSTOMER: 'account.customer.manage',
  ACCOUNT: 'account.custom-fields.manage',
  GROUP: 'account.custom-fields.manage',
};

/** Declared on value-write routes (any-of); the entity-specific one is checked by `requireValueWriteScope`. */
export const VALUE_WRITE_SCOPES = [...new Set(Object.values(ENTITY_WRITE_SCOPE))];

/** v1 tokens act as the account admin; a v2 key needs the scope of the entity type it writes to. */
export function requireValueWriteScope(ctx: RequestContext, entityType: string): void {
  const principal = ctx.principal;
  if (principal?.flow !== 'v2') return;
  const needed = ENTITY_WRITE_SCOPE[entityType];
  if (needed && !principal.scopes.includes(needed)) {
    throw forbidden(`User not allowed to make this request: writing ${entityType} values needs the scope ${needed}`);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `entityId` names an existing entity of `entityType` (groups are not stored: any UUID). */
function entityExists(store: Store, entityType: string, entityId: string): boolean {
  switch (entityType) {
    case 'ASSET':
      return store.assets.has(entityId);
    case 'SITE':
      return store.sites.has(entityId);
    case 'CUSTOMER':
      return store.customers.has(entityId);
    case 'RENTAL_CONTRACT':
      return store.contracts.has(entityId);
    case 'ACCOUNT':
      return store.account.id === entityId;
    case 'GROUP':
      return UUID.test(entityId);
    default:
      return false;
  }
}

/** The entity type of a stored entity, when the caller did not say (groups cannot be found this way). */
function findEntityType(store: Store, entityId: string): string | undefined {
  return ['ASSET', 'SITE', 'CUSTOMER', 'RENTAL_CONTRACT', 'ACCOUNT'].find((t) => entityExists(store, t, entityId));
}

/** Resolve (and prove the existence of) the entity a value belongs to; 404 `entity_not_found` otherwise. */
export function resolveEntity(store: Store, entityId: string, entityType: string | undefined): { entityId: string; entityType: string } {
  const type = entityType ?? findEntityType(store, entityId);
  if (!type || !entityExists(store, type, entityId)) {
    throw notFound('entity_not_found', `${type ?? 'Entity'} ${entityId} not found`);
  }
  return { entityId, entityType: type };
}

/** Route helper: every custom-fields route shares the family. */
export function cfRoute(def: Omit<RouteDef, 'family'>): RouteDef {
  return { family: 'custom-fields', ...def };
}
