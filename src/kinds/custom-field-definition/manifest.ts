import type { DocumentBase, EntityType, FieldType, ScopeType } from '../common.js';

export interface Translation {
  language: string;
  title: string;
  description?: string;
}

/** `kind: CustomFieldDefinition` — identity `key` (unique per account). */
export interface CustomFieldDefinitionManifest extends DocumentBase {
  kind: 'CustomFieldDefinition';
  key: string;
  entityType: EntityType;
  /** Immutable after creation: changing it needs a new field. */
  type: FieldType;
  title: string;
  description?: string;
  translations?: Translation[];
  scope?: ScopeType;
  uiVisible?: boolean;
  uiEditable?: boolean;
  /** NUMBER, MONETARY */
  minimum?: number;
  maximum?: number;
  /** NUMBER */
  isInteger?: boolean;
  unitSi?: string;
  unitUs?: string;
  /** STRING */
  minimumLength?: number;
  maximumLength?: number;
  pattern?: string;
  /** DROPDOWN */
  options?: string[];
  multiSelect?: boolean;
  /** DROPDOWN: removed option → option that takes over its values. */
  replacements?: Record<string, string>;
  /** MONETARY (ISO 4217) */
  currency?: string;
}
