/**
 * planCustomers: create (contacts and values in the same change), no-op, single field PATCH, custom
 * field value change, contacts by name, the managed-by-tug marker and prune, protected and unmanaged
 * customers, and an unknown live customer type.
 */
import { describe, expect, it } from 'vitest';
import type { KindName } from '../../src/config/project.js';
import type { Change } from '../../src/core/plan.js';
import type { LiveState } from '../../src/core/state.js';
import type { CustomerManifest } from '../../src/kinds/customer/manifest.js';
import { planCustomers } from '../../src/kinds/customer/plan.js';
import type { Customer } from '../../src/trackunit/endpoints/customers.js';
import { desiredObject, entityField, liveContact, liveCustomer, liveDefinition, planInput } from './builders.js';

const FILE = 'manifests/customers.yaml';
const credit = liveDefinition({ id: 'def-credit', key: 'creditLimit', type: 'MONETARY', entityType: 'CUSTOMER', currency: 'DKK' });
const markerDef = liveDefinition({ id: 'def-marker', key: 'tugManaged', type: 'STRING', entityType: 'CUSTOMER', uiVisible: false, uiEditable: false });

const acme = (over: Partial<CustomerManifest> = {}): CustomerManifest => ({
  kind: 'Customer',
  externalReference: 'CUST-1',
  name: 'Acme Byg A/S',
  type: 'CONTRACTOR',
  email: 'info@acme.dk',
  address: { streetAddress: 'Vej 1', city: 'Aarhus', country: 'DK' },
  ...over,
});

/** The live customer the create of `m` would leave behind. */
function customerFrom(m: CustomerManifest, over: Partial<Customer> = {}): Customer {
  const [input, refs] = planInput([desiredObject(m)]);
  const body = (planCustomers(input, refs).changes[0] as Change).requests[0]!.body as unknown as Customer;
  return liveCustomer({ ...body, id: 'cust-1', createdAt: '2024-01-01T00:00:00Z', ...over });
}

const run = (manifests: CustomerManifest[], customers: Customer[], live: Partial<LiveState> = {}, prune: KindName[] = []) => {
  const docs = manifests.map((m, i) => desiredObject(m, FILE, 1 + i * 10, { contacts: `${8 + i * 10}:1` }));
  const [input, refs] = planInput(docs, { customers, definitions: [credit, markerDef], ...live }, { prune });
  return planCustomers(input, refs);
};

describe('planCustomers', () => {
  it('creates a customer with its contacts and values; the created id is filled in at apply', () => {
    const m = acme({ contacts: [{ name: 'Ole', email: 'ole@acme.dk' }], customFields: { creditLimit: { amount: 50000, currency: 'DKK' } } });
    const plan = run([m], []);
    const change = plan.changes[0]!;
    expect(change).toMatchObject({ key: 'create:Customer/CUST-1', level: 1, reason: `${FILE}:1` });
    expect(change.requests).toEqual([
      {
        family: 'customers',
        method: 'POST',
        idempotent: false,
        path: '/api/customer/v1/customers',
        body: {
          externalReference: 'CUST-1',
          name: 'Acme Byg A/S',
          type: 'CONTRACTOR',
          email: 'info@acme.dk',
          address: { streetAddress: 'Vej 1', zipCode: null, city: 'Aarhus', country: 'DK' },
        },
      },
      {
        family: 'customers',
        method: 'POST',
        idempotent: false,
        path: '/api/customer/v1/customers/{id}/contacts',
        body: { name: 'Ole', email: 'ole@acme.dk' },
        // A lost response is looked up by every field among contacts that did not exist (none here).
        lookup: { match: { name: 'Ole', email: 'ole@acme.dk', phoneNumber: null, title: null }, exclude: [] },
      },
      {
        family: 'custom-fields',
        method: 'POST',
        idempotent: true,
        path: '/api/custom-fields/v1/set-values/',
        body: {
          entityId: { $ref: 'Customer/CUST-1' },
          entityType: 'CUSTOMER',
          values: [{ definitionKey: 'creditLimit', value: { monetaryValue: { amount: 50000, currency: 'DKK' } } }],
        },
      },
    ]);
  });

  it('plans nothing for a live customer built from the desired state', () => {
    const m = acme({ contacts: [{ name: 'Ole', email: 'ole@acme.dk' }], customFields: { creditLimit: { amount: 50000, currency: 'DKK' } } });
    const live = {
      contacts: { 'cust-1': [liveContact({ id: 'ct-1', customerId: 'cust-1', name: 'Ole', email: 'ole@acme.dk' })] },
      values: { 'cust-1': [entityField(credit, 'cust-1', { monetaryValue: { amount: 50000, currency: 'DKK' } })] },
    };
    const plan = run([m, acme({ externalReference: 'CUST-2', type: undefined })], [customerFrom(m), customerFrom(acme({ externalReference: 'CUST-2' }), { id: 'cust-2', type: 'OTHER' })], live);
    expect(plan.changes).toEqual([]);
    expect(plan.problems).toEqual([]);
    expect(plan.managed).toEqual({ Customer: 2 });
  });

  it('PATCHes a single changed field', () => {
    const plan = run([acme({ email: 'hello@acme.dk' })], [customerFrom(acme())]);
    const change = plan.changes[0]!;
    expect(change.patch).toEqual([{ op: 'replace', path: '/email', value: 'hello@acme.dk' }]);
    expect(change.requests).toEqual([{ family: 'customers', method: 'PATCH', idempotent: true, path: '/api/customer/v1/customers/cust-1', body: { email: 'hello@acme.dk' } }]);
    expect(change).toMatchObject({ liveId: 'cust-1', fingerprint: expect.stringMatching(/^sha256:/) });
  });

  it('sets a changed custom field value', () => {
    const values = { 'cust-1': [entityField(credit, 'cust-1', { monetaryValue: { amount: 50000, currency: 'DKK' } })] };
    const plan = run([acme({ customFields: { creditLimit: { amount: 75000, currency: 'DKK' } } })], [customerFrom(acme())], { values });
    expect(plan.changes[0]!.requests).toEqual([
      {
        family: 'custom-fields',
        method: 'POST',
        idempotent: true,
        path: '/api/custom-fields/v1/set-values/',
        body: { entityId: 'cust-1', entityType: 'CUSTOMER', values: [{ definitionKey: 'creditLimit', value: { monetaryValue: { amount: 75000, currency: 'DKK' } } }] },
      },
    ]);
  });

  it('updates, creates and deletes contacts by name', () => {
    const contacts = {
      'cust-1': [
        liveContact({ id: 'ct-1', customerId: 'cust-1', name: 'Ole', phoneNumber: '+4511111111' }),
        liveContact({ id: 'ct-2', customerId: 'cust-1', name: 'Gone' }),
      ],
    };
    const plan = run([acme({ contacts: [{ name: 'Ole', phoneNumber: '+4522222222' }, { name: 'Nina', title: 'Site manager' }] })], [customerFrom(acme())], { contacts });
    const base = '/api/customer/v1/customers/cust-1/contacts';
    expect(plan.changes[0]!.requests).toEqual([
      { family: 'customers', method: 'DELETE', idempotent: true, path: `${base}/ct-2` },
      { family: 'customers', method: 'PATCH', idempotent: true, path: `${base}/ct-1`, body: { phoneNumber: '+4522222222' } },
      {
        family: 'customers',
        method: 'POST',
        idempotent: false,
        path: base,
        body: { name: 'Nina', title: 'Site manager' },
        lookup: { match: { name: 'Nina', title: 'Site manager', email: null, phoneNumber: null }, exclude: ['ct-1', 'ct-2'] },
      },
    ]);
  });

  it('warns instead of guessing when the contacts were not read', () => {
    const plan = run([acme({ contacts: [{ name: 'Ole' }] })], [customerFrom(acme())]);
    expect(plan.changes).toEqual([]);
    expect(plan.problems).toEqual([expect.objectContaining({ severity: 'warning', location: `${FILE}:8:1` })]);
  });

  it('tolerates an unknown live type unless the manifest names a type', () => {
    const partner = customerFrom(acme(), { type: 'PARTNER' });
    expect(run([acme({ type: undefined })], [partner]).changes).toEqual([]);
    const plan = run([acme()], [partner]);
    expect(plan.changes[0]!.requests[0]!.body).toEqual({ type: 'CONTRACTOR' });
    const known = customerFrom(acme(), { type: 'DEALER' });
    expect(run([acme({ type: undefined })], [known]).changes[0]!.requests[0]!.body).toEqual({ type: 'OTHER' });
  });

  it('writes the marker on created and adopted customers when Customer is pruned', () => {
    const adopted = run([acme()], [customerFrom(acme())], { customerMarkers: { 'cust-1': null } }, ['Customer']);
    expect(adopted.changes[0]!.requests).toEqual([
      {
        family: 'custom-fields',
        method: 'POST',
        idempotent: true,
        path: '/api/custom-fields/v1/set-values/',
        body: { entityId: 'cust-1', entityType: 'CUSTOMER', values: [{ definitionKey: 'tugManaged', value: { stringValue: 'tug/v1 Customer/CUST-1' } }] },
      },
    ]);
    const marked = run([acme()], [customerFrom(acme())], { customerMarkers: { 'cust-1': 'tug/v1 Customer/CUST-1' } }, ['Customer']);
    expect(marked.changes).toEqual([]);
    const [input, refs] = planInput([desiredObject(acme())], {}, { prune: ['Customer'] });
    const created = planCustomers(input, refs).changes[0]!;
    expect(created.requests[1]!.body).toMatchObject({ entityId: { $ref: 'Customer/CUST-1' }, values: [{ definitionKey: 'tugManaged' }] });
    expect(created.dependsOn).toEqual(['create:CustomFieldDefinition/tugManaged']);
  });

  it('deletes a marked customer no manifest names only when pruned; others are unmanaged', () => {
    const mine = liveCustomer({ id: 'cust-8', name: 'Old', externalReference: 'CUST-8' });
    const copied = liveCustomer({ id: 'cust-9', name: 'Copied', externalReference: 'CUST-9' });
    const byHand = liveCustomer({ id: 'cust-7', name: 'Walk-in' });
    const customerMarkers = { 'cust-8': 'tug/v1 Customer/CUST-8', 'cust-9': 'tug/v1 Customer/CUST-8' };
    const off = run([], [mine, copied, byHand], { customerMarkers });
    expect(off.changes).toEqual([]);
    const on = run([], [mine, copied, byHand], { customerMarkers }, ['Customer']);
    expect(on.changes.map((c) => c.key)).toEqual(['delete:Customer/CUST-8']);
    expect(on.changes[0]!.requests).toEqual([{ family: 'customers', method: 'DELETE', idempotent: true, path: '/api/customer/v1/customers/cust-8' }]);
    expect(on.unmanaged).toEqual([
      { kind: 'Customer', liveId: 'cust-9', label: 'Copied (CUST-9)' },
      { kind: 'Customer', liveId: 'cust-7', label: 'Walk-in (no externalReference)' },
    ]);
    expect(on.managed).toEqual({ Customer: 1 });
  });

  it('lists protected customers', () => {
    expect(run([acme({ protected: true })], []).protectedIdentities).toEqual(['Customer/CUST-1']);
  });
});
