import type { Address, CustomerType, CustomFieldValues, DocumentBase } from '../common.js';

export interface CustomerContact {
  name: string;
  email?: string;
  phoneNumber?: string;
  title?: string;
}

/** `kind: Customer` — identity `externalReference` (the ERP customer number). */
export interface CustomerManifest extends DocumentBase {
  kind: 'Customer';
  externalReference: string;
  name: string;
  type?: CustomerType;
  address?: Address;
  phoneNumber?: string;
  email?: string;
  website?: string;
  contacts?: CustomerContact[];
  customFields?: CustomFieldValues;
}
