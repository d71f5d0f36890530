import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/core/plan.js';
import { planContacts } from '../../src/kinds/customer/contacts.js';
import { formatCount, readablePath, renderPlanText, summaryLine } from '../../src/render/plan-text.js';
import {
  areaChanged,
  coloured,
  CONTACT,
  contactAddedBesideNamesake,
  contactFieldChanged,
  contactRemoved,
  contractItemMoved,
  makeChange,
  makePlan,
  optionsChanged,
  plain,
  samplePlan,
  warningOnlyPlan,
} from './plan-fixtures.js';

const ESC = '\u001b';

describe('renderPlanText', () => {
  it('shows one header per change and only the changed fields', () => {
    expect(renderPlanText(samplePlan(), plain)).toBe(
      [
        '+ create Depot/aarhus',
        '    + name: "Aarhus"',
        '    + address: {"city":"Aarhus","country":"DK","streetAddress":null,"zipCode":"8000"}',
        '    (manifests/depots.yaml:12)',
        '~ update CustomFieldDefinition/machineType',
        '    - description: "x"',
        '    + options["Crane"]',
        '    note: no existing values change',
        '    (manifests/fields.yaml:3)',
        '~ update Customer/CUST-1001',
        '    address.city: "Vejle" → "Aarhus"',
        '    name: "Old" → "New"',
        '    (manifests/customers.yaml:7)',
        '↻ sync Asset/serialNumber=SN-1',
        '    + items[0]: {"contract":"C-1","onRent":"2025-01-01T00:00:00.000Z"}',
        '    rentalStatus: "AVAILABLE" → "ON_RENT"',
        '    (manifests/contracts.yaml:20)',
        '- delete Depot/old',
        '    - name: "Old depot"',
        '',
        'apply will make 5 API requests: sites 2, custom-fields 1, customers 1, rental 1; at the configured rate limits under a second.',
        '',
        'Plan: 1 to create, 2 to update, 1 to sync, 1 to delete.',
        '',
      ].join('\n'),
    );
  });

  it('colours by op only when the chalk instance has colour', () => {
    const text = renderPlanText(samplePlan(), coloured);
    expect(text).toContain(`${ESC}[32m+ create Depot/aarhus`);
    expect(text).toContain(`${ESC}[33m~ update Customer/CUST-1001`);
    expect(text).toContain(`${ESC}[36m↻ sync Asset/serialNumber=SN-1`);
    expect(text).toContain(`${ESC}[31m- delete Depot/old`);
    expect(renderPlanText(samplePlan(), plain)).not.toContain(ESC);
  });

  it('says so when there is nothing to do', () => {
    expect(renderPlanText(makePlan([]), plain)).toBe('No changes. The account matches the manifests.\n');
  });

  it('lists problems (errors first) with locations, unmanaged objects per kind, breaches and the budget', () => {
    const unmanaged = Array.from({ length: 12 }, (_, i) => ({ kind: 'Customer' as const, liveId: `c${i}`, label: `Walk-in ${i}` }));
    const plan = makePlan([makeChange('delete', 'Customer', 'CUST-9', { before: { name: 'Nine' } })], {
      problems: [
        { kind: 'Asset', id: 'pin=X', message: 'no such PIN in the ISO snapshot', severity: 'warning' },
        { kind: 'CustomFieldDefinition', id: 'fuel', message: 'type cannot change', location: 'manifests/fields.yaml:4:3', severity: 'error' },
      ],
      unmanaged: [...unmanaged, { kind: 'Depot', liveId: 's1', label: 'Odense' }],
      safety: { ok: false, breaches: [{ rule: 'protected', kind: 'Customer', message: 'Customer/CUST-9 is protected and cannot be deleted', changes: ['delete:Customer/CUST-9'] }] },
      budget: { requests: { customers: 1234, rental: 1000 }, totalRequests: 2234, predictedSeconds: 1000 },
    });
    const text = renderPlanText(plan, plain);
    expect(text).toContain('Problems:\n  error   CustomFieldDefinition/fuel: type cannot change (manifests/fields.yaml:4:3)\n  warning Asset/pin=X: no such PIN in the ISO snapshot\n');
    expect(text).toContain('  Customer: 12 ("Walk-in 0", "Walk-in 1", "Walk-in 2", "Walk-in 3", "Walk-in 4", "Walk-in 5", "Walk-in 6", "Walk-in 7", "Walk-in 8", "Walk-in 9", … and 2 more)\n');
    expect(text).toContain('  Depot: 1 ("Odense")\n');
    expect(text).toContain('Safety policy breached: apply will refuse this plan (exit 3).\n  ✗ protected: Customer/CUST-9 is protected and cannot be deleted\n');
    expect(text).toContain('apply will make 2,234 API requests: customers 1,234, rental 1,000; at the configured rate limits about 17 minutes.');
    expect(text.trimEnd().split('\n').at(-1)).toBe('Plan: 0 to create, 0 to update, 0 to sync, 1 to delete.');
    expect(renderPlanText(plan, coloured)).toContain(`${ESC}[31m`);
  });

  it('reports errors instead of claiming convergence when nothing could be planned', () => {
    const plan = makePlan([], { problems: [{ kind: 'Depot', id: 'x', message: 'bad', severity: 'error' }] });
    expect(summaryLine(plan)).toBe('No changes planned, but 1 error needs fixing (see Problems).');
  });

  it('truncates long values and neutralises control characters', () => {
    const long = 'x'.repeat(200);
    const plan = makePlan([
      makeChange('update', 'Customer', 'evil\u001b[2Jid\nnext', { before: { note: 'a' }, after: { note: long } }),
    ]);
    const text = renderPlanText(plan, plain);
    expect(text).toContain(`~ update Customer/evil\\u001b[2Jid\\nnext\n`);
    expect(text).toContain(`    note: "a" → "${'x'.repeat(78)}…\n`);
    expect(text).not.toContain(ESC);
  });

  it('escapes C1 controls and line separators too, which JSON quoting leaves as they are', () => {
    const plan = makePlan([makeChange('update', 'Customer', 'id\u009b2J', { before: { note: 'a' }, after: { note: 'b\u009b2J\u2028c' } })], {
      unmanaged: [{ kind: 'Customer', liveId: 'c1', label: 'Walk-in\u0085\u009b31m' }],
    });
    const text = renderPlanText(plan, plain);
    expect(text).toContain('~ update Customer/id\\u009b2J\n');
    expect(text).toContain('    note: "a" → "b\\u009b2J\\u2028c"\n');
    expect(text).toContain('  Customer: 1 ("Walk-in\\u0085\\u009b31m")\n');
    expect(text).not.toMatch(/[\u0080-\u009f\u2028\u2029]/);
  });

  it('shortens long unmanaged labels without leaving a quote or a bracket open', () => {
    const plan = makePlan([], {
      unmanaged: [
        { kind: 'Customer', liveId: 'c1', label: 'A very long customer name for testing the cut (CUST-1234)' },
        { kind: 'Depot', liveId: 's1', label: 'Site [north yard, building 4, gate 7 and beyond] x' },
        { kind: 'Contract', liveId: 'k1', label: 'K-1 (a status text far too long to keep whole, really)' },
      ],
    });
    const text = renderPlanText(plan, plain);
    expect(text).toContain('  Customer: 1 ("A very long customer name… (CUST-1234)")\n');
    expect(text).toContain('  Depot: 1 ("Site [north yard, building 4, gate 7…]")\n');
    expect(text).toContain('  Contract: 1 ("K-1 (a status text far too long to k…)")\n');
  });

  it('is deterministic', () => {
    expect(renderPlanText(samplePlan(), coloured)).toBe(renderPlanText(samplePlan(), coloured));
  });
});

/** The lines of one change (title, fields, notes, reason) as `tug plan` prints them. */
function changeText(change: Change): string[] {
  return renderPlanText(makePlan([change]), plain).split('\n\n')[0]?.split('\n') ?? [];
}

describe('renderPlanText: lists by identity, as the requests treat them', () => {
  it('names only the removed contact, with what tells it from its namesake (one DELETE, no rename)', () => {
    const change = contactRemoved();
    expect(change.requests.map((r) => r.method)).toEqual(['DELETE']);
    expect(changeText(change)).toEqual(['~ update Customer/CUST-1001', '    - contacts["Ops desk" (Night shift)]', '    (manifests/customers.yaml:1)']);
  });

  it('shows a contact added beside a same-named one as one addition', () => {
    expect(changeText(contactAddedBesideNamesake())).toEqual([
      '~ update Customer/CUST-1001',
      '    + contacts["Ops desk" (Weekend)]: {"email":"weekend@hansen-byg.dk","name":"Ops desk","phoneNumber":null,"title":"…',
      '    (manifests/customers.yaml:1)',
    ]);
  });

  it("shows a contact's changed field under its name, next to a contact added before it", () => {
    expect(changeText(contactFieldChanged())).toEqual([
      '~ update Customer/CUST-1001',
      '    contacts["Mette Hansen"].email: "mette@hansen-byg.dk" → "mette.hansen@hansen-byg.dk"',
      '    + contacts["Jens Holm"]: {"email":"jens@hansen-byg.dk","name":"Jens Holm","phoneNumber":null,"title":nul…',
      '    (manifests/customers.yaml:1)',
    ]);
  });

  it('pairs contacts as the planner does, so the lines agree with its requests', () => {
    const live = [
      { id: 'c1', customerId: 'cust-7', ...CONTACT.opsNight },
      { id: 'c2', customerId: 'cust-7', ...CONTACT.opsDay },
      { id: 'c3', customerId: 'cust-7', ...CONTACT.mette },
    ];
    const planned = planContacts([CONTACT.opsDay, CONTACT.mette, { name: 'Jens Holm', email: 'jens@hansen-byg.dk' }], live, 'cust-7');
    const change = makeChange('update', 'Customer', 'CUST-1001', { before: { contacts: planned.before }, after: { contacts: planned.after }, requests: planned.requests });
    expect(change.requests.map((r) => `${r.method} ${r.path.split('/').at(-1)}`)).toEqual(['DELETE c1', 'POST contacts']);
    expect(changeText(change).slice(1)).toEqual([
      '    - contacts["Ops desk" (Night shift)]',
      '    + contacts["Jens Holm"]: {"email":"jens@hansen-byg.dk","name":"Jens Holm","phoneNumber":null,"title":nul…',
    ]);
  });

  it('says a contract item moves to the other contract, not that the contract changes customer', () => {
    expect(changeText(contractItemMoved())).toEqual([
      '↻ sync Asset/serialNumber=SN-7',
      '    contractItems["K-2025-0042-1"].contract: "K-2025-0042" → "K-2025-0057"',
      '    contractItems["K-2025-0042-1"].offRentDate: null → "2025-06-30T00:00:00.000Z"',
      '    (manifests/contracts.yaml:40)',
    ]);
  });

  it('names a removed and an added dropdown option by value', () => {
    expect(changeText(optionsChanged())).toEqual([
      '~ update CustomFieldDefinition/rentalCategory',
      '    - allValues["Compact"]',
      '    + allValues["Lifting"]',
      '    note: values holding "Compact" become "Access"',
      '    (manifests/custom-fields.yaml:30)',
    ]);
  });

  it('shows options that only change order as a new order (Manager shows them in that order)', () => {
    const change = makeChange('update', 'CustomFieldDefinition', 'rentalCategory', { before: { allValues: ['A', 'B', 'C'] }, after: { allValues: ['C', 'A', 'B'] } });
    expect(changeText(change).slice(1)).toEqual(['    allValues (order): ["A","B","C"] → ["C","A","B"]']);
  });

  it('matches other object lists by their natural key (translations by language)', () => {
    const da = { language: 'da', title: 'Kategori', description: null };
    const change = makeChange('update', 'CustomFieldDefinition', 'rentalCategory', {
      before: { translations: [da, { language: 'de', title: 'Kategorie', description: null }] },
      after: { translations: [{ ...da, title: 'Udlejningskategori' }, { language: 'sv', title: 'Kategori', description: null }] },
    });
    expect(changeText(change).slice(1)).toEqual([
      '    - translations["de"]',
      '    translations["da"].title: "Kategori" → "Udlejningskategori"',
      '    + translations["sv"]: {"description":null,"language":"sv","title":"Kategori"}',
    ]);
  });

  it('keeps lists without identity positional (polygon coordinates)', () => {
    expect(changeText(areaChanged())).toEqual([
      '~ update Depot/aarhus',
      '    area.coordinates[0][2][1]: 56.2 → 56.25',
      '    area.coordinates[0][3][0]: 10.1 → 10.15',
      '    area.coordinates[0][3][1]: 56.1 → 56.3',
      '    + area.coordinates[0][4]: [10.1,56.1]',
      '    (manifests/depots.yaml:1)',
    ]);
  });

  it('keeps control characters in identities escaped', () => {
    // JSON quoting escapes C0 controls but not C1 ones (U+009B is a CSI); the qualifier is not quoted at all.
    const evil = (title: string) => ({ name: 'Evil\u009b2J\nname', email: null, phoneNumber: null, title });
    const change = makeChange('update', 'Customer', 'C', { before: { contacts: [CONTACT.jens, evil('Day'), evil('Night\u001b[31m')] }, after: { contacts: [CONTACT.jens, evil('Day')] } });
    const text = changeText(change);
    expect(text).toContain('    - contacts["Evil\\u009b2J\\nname" (Night\\u001b[31m)]');
    expect(text.join('\n')).not.toMatch(/[\u001b\u009b]/);
  });
});

describe('summaryLine', () => {
  it('does not claim the account matches when warnings say it may not', () => {
    expect(renderPlanText(warningOnlyPlan(), plain).trimEnd().split('\n').at(-1)).toBe(
      'No changes planned, but 1 warning (see Problems): the account may still differ from the manifests.',
    );
    const two = warningOnlyPlan();
    two.problems.push({ ...two.problems[0]!, id: 'K-2025-0100' });
    expect(summaryLine(two)).toBe('No changes planned, but 2 warnings (see Problems): the account may still differ from the manifests.');
  });

  it('keeps the error sentence when there are errors as well', () => {
    const plan = warningOnlyPlan();
    plan.problems.push({ kind: 'Depot', id: 'x', message: 'bad', severity: 'error' });
    expect(summaryLine(plan)).toBe('No changes planned, but 1 error needs fixing (see Problems).');
  });
});

describe('formatting helpers', () => {
  it('makes JSON pointers readable', () => {
    expect(readablePath('/address/city')).toBe('address.city');
    expect(readablePath('/items/0/onRent')).toBe('items[0].onRent');
    expect(readablePath('/customFields/fuel-type')).toBe('customFields.fuel-type');
    expect(readablePath('/customFields/a~1b c')).toBe('customFields["a/b c"]');
  });

  it('groups thousands independently of the locale', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1234)).toBe('1,234');
    expect(formatCount(10_000_000)).toBe('10,000,000');
  });
});
