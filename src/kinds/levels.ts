/**
 * Dependency levels of changes, drawn once, next to the registry's list of kinds (registry.ts). Creates,
 * updates and syncs run top-down (level 0 first), deletes bottom-up (src/core/order.ts); a level's changes
 * run concurrently. A new kind adds its row here and its line to the registry.
 *
 *   level  changes                            why this late
 *   0      CustomFieldDefinition, Depot       depend on nothing (a depot's values wait for new definitions)
 *   1      Customer                           may carry custom field values
 *   2      Asset updates                      externalReference and custom field values
 *   3      rental syncs (one per asset)       rentalStatus, owningDepot → Depot, items → Contract → Customer
 *   4      Contract custom field values       a contract exists only once a sync created it
 */
export const LEVELS = {
  CustomFieldDefinition: 0,
  Depot: 0,
  Customer: 1,
  Asset: 2,
  /** A contract's changes are its items' syncs and its custom field values, below. */
  Contract: 3,
  rentalSync: 3,
  contractFields: 4,
} as const;
