/**
 * What the Customer API's parts (customers, contacts, asset assignments) share: the base path, the
 * route defaults every operation declares, the customer lookup and the e-mail check.
 * The API's documented/assumed split is listed once, in ../customers.ts.
 */
import { notFound, type RequestContext } from '../../http.js';
import type { RouteDef } from '../../router.js';
import type { CustomerRecord } from '../../store.js';
import type { Checker, Json } from '../../validate.js';

export const CUSTOMER_BASE = '/api/customer/v1/customers';
const READ_SCOPES = ['account.view', 'account.customer.manage'];
const WRITE_SCOPES = ['account.customer.manage'];

/** Every Customer API operation needs IrisX (documented); v2 scopes are [assumed]. */
export function customerRoute(def: Omit<RouteDef, 'family' | 'irisx' | 'scopes'>): RouteDef {
  return { family: 'customers', irisx: true, scopes: def.write ? WRITE_SCOPES : READ_SCOPES, ...def };
}

export function getCustomer(ctx: RequestContext): CustomerRecord {
  const customer = ctx.store.customers.get(ctx.params.customerId ?? '');
  if (!customer) throw notFound('customer_not_found', `Customer ${ctx.params.customerId} not found`);
  return customer;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An optional, nullable e-mail address; an empty string is accepted and means "none". */
export function checkEmail(c: Checker, body: Json, key: string): void {
  c.string(body, key, { maxLength: 255 });
  const value = body[key];
  if (typeof value === 'string' && value !== '' && !EMAIL.test(value)) c.reject(key, value, 'must be a well-formed email address');
}

/** A required name on create; on update it may be left out but not set to null or ''. */
export function checkName(c: Checker, body: Json, creating: boolean): void {
  if (!creating && body.name === null) c.reject('name', '', 'must not be null');
  else c.string(body, 'name', { required: creating, nonEmpty: true, maxLength: 255 });
}

/** Copy optional free-text fields; an empty string clears the field (stored as null). */
export function assignText<T extends object>(target: T, body: Json, keys: readonly (keyof T & string)[]): void {
  for (const key of keys) {
    if (body[key] !== undefined) (target as Record<string, unknown>)[key] = (body[key] as string | null) || null;
  }
}

/** Customer types: documented display names; wire values [assumed]. Shared with the Rental API. */
export const CUSTOMER_TYPES = ['CONTRACTOR', 'DEALER', 'DISTRIBUTOR', 'OEM', 'RENTAL', 'SERVICE', 'OTHER'] as const;
