/**
 * Identities that look alike: invisible characters are errors naming the character (U+XXXX) at the
 * value's position; identities of one kind that differ only in letter case or Unicode normalisation are
 * warnings at the later one, naming the other's file:line:col.
 */
import { describe, expect, it } from 'vitest';
import { invisibleIdentityCharacters, invisibleProblem, lookalikeIdentities } from '../../src/manifests/checks/identity-spelling.js';
import { validateDocuments } from '../../src/manifests/validate.js';
import { parseYaml } from '../../src/manifests/yaml.js';
import { docs, lines, y } from './check-helpers.js';

const customer = (ref: string, name = 'N'): string => y('kind: Customer', `externalReference: "${ref}"`, `name: ${name}`);
const RULE = 'must not start or end with whitespace or hold invisible, bidi or control characters';

describe('invisible characters in identities', () => {
  it.each([
    ['CUST-1 ', 'ends with U+0020 (SPACE)'],
    [' CUST-1', 'starts with U+0020 (SPACE)'],
    ['CUST-1\u00a0', 'ends with U+00A0 (NO-BREAK SPACE)'],
    ['\ufeffCUST-1', 'starts with U+FEFF (ZERO WIDTH NO-BREAK SPACE)'],
    ['CUST-\u200b1', 'holds U+200B (ZERO WIDTH SPACE) at character 6'],
    ['CUST-\u200d1', 'holds U+200D (ZERO WIDTH JOINER) at character 6'],
    ['CUST\u202e-1', 'holds U+202E (RIGHT-TO-LEFT OVERRIDE) at character 5'],
    ['CUST\u2066-1', 'holds U+2066 (LEFT-TO-RIGHT ISOLATE) at character 5'],
    ['CUST-1\n2', 'holds U+000A (LINE FEED) at character 7'],
    ['CUST-1\n', 'ends with U+000A (LINE FEED)'],
    ['CUST\u0085-1', 'holds U+0085 (NEXT LINE) at character 5'],
    ['CUST\u0001-1', 'holds U+0001 (a control character) at character 5'],
    ['\u{1F600}\u200b', 'ends with U+200B (ZERO WIDTH SPACE)'],
  ])('%j %s', (value, problem) => {
    expect(invisibleProblem(value)).toBe(problem);
  });

  it('lets ordinary identities through, inner spaces and letters of any script included', () => {
    for (const value of ['CUST-1001', 'Hansen Byg 7', 'ORLÉANS-7', 'köln_1', 'Øst.2', '東京-1']) expect(invisibleProblem(value)).toBeUndefined();
  });

  it('reports each identity and reference where it is, value escaped, subject escaped', () => {
    const text =
      customer('CUST-1 ') + '---\n' +
      y('kind: Contract', 'externalReference: "K-\\u202e1"', 'customer: "CUST-1 "', 'status: OPEN', 'items:',
        '  - externalReference: "K-1-\\n1"', '    asset: {serialNumber: "SN\\u200b1"}', '    onRentDate: 2025-05-01') + '---\n' +
      y('kind: Asset', 'serialNumber: "\\u00a0SN2"', 'owningDepot: "aarhus\\t"');
    expect(lines(invisibleIdentityCharacters(docs(text)))).toEqual([
      `m.yaml:2:20  Customer/CUST-1   externalReference "CUST-1 " ends with U+0020 (SPACE): an identity ${RULE}`,
      `m.yaml:6:20  Contract/K-\\u202e1  externalReference "K-\\u202e1" holds U+202E (RIGHT-TO-LEFT OVERRIDE) at character 3: an identity ${RULE}`,
      `m.yaml:7:11  Contract/K-\\u202e1  customer "CUST-1 " ends with U+0020 (SPACE): a reference ${RULE}`,
      `m.yaml:10:24  Contract/K-\\u202e1  items[0].externalReference "K-1-\\n1" holds U+000A (LINE FEED) at character 5: an identity ${RULE}`,
      `m.yaml:11:27  Contract/K-\\u202e1  items[0].asset.serialNumber "SN\\u200b1" holds U+200B (ZERO WIDTH SPACE) at character 3: a reference ${RULE}`,
      `m.yaml:15:15  Asset/serialNumber=\\u00a0SN2  serialNumber "\\u00a0SN2" starts with U+00A0 (NO-BREAK SPACE): an identity ${RULE}`,
      `m.yaml:16:14  Asset/serialNumber=\\u00a0SN2  owningDepot "aarhus\\t" ends with U+0009 (CHARACTER TABULATION): a reference ${RULE}`,
    ]);
  });

  it('makes validate fail where "CUST-1 " and "CUST-1" used to be two customers without a word', () => {
    const result = validateDocuments(parseYaml(customer('CUST-1 ') + '---\n' + customer('CUST-1'), 'c.yaml').documents);
    expect(result.diagnostics.map((d) => [d.severity, d.code, d.line, d.col])).toEqual([['error', 'identity_characters', 2, 20]]);
  });
});

describe('identities that differ only in letter case or normalisation', () => {
  it('warns at the later identity, naming the other by file:line:col', () => {
    const set = [...docs(customer('CUST-1001')), ...docs(y('kind: Depot', 'key: aarhus', 'name: A', 'address: {city: A}') + '---\n' + customer('cust-1001'), 'n.yaml')];
    expect(lines(lookalikeIdentities(set))).toEqual([
      'n.yaml:7:20  Customer/cust-1001  warning: Customer externalReference "cust-1001" differs from "CUST-1001" of Customer/CUST-1001 (at m.yaml:2:20) only in letter case: tug treats them as two, Trackunit may take them for one',
    ]);
    expect(lookalikeIdentities(set).every((d) => d.severity === 'warning' && d.code === 'lookalike_identity')).toBe(true);
  });

  it('says which spelling is NFC and which NFD, and folds case and normalisation together', () => {
    const set = docs(customer('ORL\\u00c9ANS-7') + '---\n' + customer('ORLE\\u0301ANS-7') + '---\n' + customer('orle\\u0301ans-7'));
    expect(lines(lookalikeIdentities(set)).map((l) => l.replace(/.*? only in /, 'only in '))).toEqual([
      'only in Unicode normalisation (this one is NFD, that one NFC): tug treats them as two, Trackunit may take them for one',
      'only in letter case and Unicode normalisation: tug treats them as two, Trackunit may take them for one',
    ]);
  });

  it('compares within one kind of identity: contract items, asset serials (an error), definition keys', () => {
    const contract = (ref: string, item: string): string =>
      y('kind: Contract', `externalReference: ${ref}`, 'customer: C', 'status: OPEN', 'items:', `  - externalReference: ${item}`, '    asset: {serialNumber: SN1}', '    onRentDate: 2025-05-01');
    const set = docs(
      contract('K-1', 'K-1-a') + '---\n' + contract('K-2', 'K-1-A') + '---\n' +
        y('kind: Asset', 'serialNumber: wnce1') + '---\n' + y('kind: Asset', 'serialNumber: WNCE1') + '---\n' +
        y('kind: CustomFieldDefinition', 'key: hours', 'entityType: ASSET', 'type: NUMBER', 'title: H') + '---\n' +
        y('kind: CustomFieldDefinition', 'key: Hours', 'entityType: ASSET', 'type: NUMBER', 'title: H'),
    );
    expect(lines(lookalikeIdentities(set)).map((l) => l.replace(/ only in .*/, ''))).toEqual([
      'm.yaml:15:24  Contract/K-2  warning: contract item externalReference "K-1-A" differs from "K-1-a" of Contract/K-1 (at m.yaml:6:24)',
      // tug matches serial numbers ignoring case (src/core/refs.ts): two manifests for one asset, an error.
      'm.yaml:23:15  Asset/serialNumber=WNCE1  serialNumber "WNCE1" names the same asset as "wnce1" of Asset/serialNumber=wnce1 (at m.yaml:20:15): serial numbers match ignoring case',
      'm.yaml:32:6  CustomFieldDefinition/Hours  warning: CustomFieldDefinition key "Hours" differs from "hours" of CustomFieldDefinition/hours (at m.yaml:26:6)',
    ]);
  });

  it('stays quiet across kinds, for equal identities (the duplicate check reports those) and for references', () => {
    const set = docs(
      y('kind: Depot', 'key: aarhus', 'name: A', 'address: {city: A}') + '---\n' + customer('AARHUS') + '---\n' + customer('AARHUS') + '---\n' +
        y('kind: Contract', 'externalReference: K-1', 'customer: aarhus', 'status: OPEN'),
    );
    expect(lookalikeIdentities(set)).toEqual([]);
  });
});
