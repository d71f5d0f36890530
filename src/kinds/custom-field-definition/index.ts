/**
 * CustomFieldDefinition: matched by `key`; never deleted (definitions hold data). Owns the account's
 * definitions and, as the custom-fields API's kind, the per-entity values other kinds read (`values`).
 */
import type { EntityField } from '../../trackunit/endpoints/custom-fields.js';
import { customFieldsApi, type Definition } from '../../trackunit/endpoints/custom-fields.js';
import type { KindDefinition } from '../env.js';
import * as validation from './checks.js';
import type { CustomFieldDefinitionManifest } from './manifest.js';
import { planDefinitions } from './plan.js';
import { exportDefinitions } from './export.js';

declare module '../../core/manifest.js' {
  interface KindManifests {
    CustomFieldDefinition: CustomFieldDefinitionManifest;
  }
}
declare module '../../core/state.js' {
  interface LiveParts {
    definitions: Definition[];
    /** Custom field values per entity id — read only for entities whose manifests set custom fields. */
    values: Record<string, EntityField[]>;
  }
}

export const customFieldDefinitionKind: KindDefinition<'CustomFieldDefinition'> = {
  name: 'CustomFieldDefinition',
  schemaFile: 'custom-field-definition.schema.json',
  identityField: 'key',
  identity: (manifest) => manifest.key,
  validation,
  emptyLive: () => ({ definitions: [], values: {} }),
  readLists: async (client) => ({ definitions: await customFieldsApi(client).listDefinitions() }),
  liveIdentities: (live) => live.definitions.map((d) => d.key),
  plan: planDefinitions,
  exportLive: exportDefinitions,
  createdLookup: (key) => ({ kind: 'customFieldDefinition', field: 'key', value: key }),
  findByIdentity: async (client, key) => (await customFieldsApi(client).findDefinitionByKey(key))?.id,
};
