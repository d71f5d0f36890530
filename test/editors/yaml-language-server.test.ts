/**
 * README promises completion and diagnostics in editors through the YAML language server. This drives the
 * real server (devDependency yaml-language-server, pinned) the way an editor does, on a workspace laid out
 * as README says — `schemas/` copied next to `manifests/` — with README's own modeline and settings, so a
 * schema change that breaks editors (a renamed field, a broken `kind` → schema branch, a `$ref` that no
 * longer resolves from a copied folder) or a wrong instruction in README fails here.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { YamlEditor, type Diagnostic, type YamlSettings } from './yaml-editor.js';

const REPO = resolve(import.meta.dirname, '../..');
const README = readFileSync(join(REPO, 'README.md'), 'utf8');
const CUSTOMER_SCHEMA = JSON.parse(readFileSync(join(REPO, 'schemas/customer.schema.json'), 'utf8'));

/** README's modeline for manifests and its `.vscode/settings.json`, taken from README itself. */
const MODELINE = found(/^# yaml-language-server: \$schema=\S*manifest\.schema\.json$/m, 'the manifest modeline');
const TUG_MODELINE = found(/^# yaml-language-server: \$schema=\S*tug\.schema\.json$/m, 'the tug.yaml modeline');
const SETTINGS = JSON.parse(found(/```json\n(\{\n\s*"yaml\.schemas"[\s\S]*?)```/, 'the .vscode/settings.json block', 1)) as {
  'yaml.schemas': YamlSettings['schemas'];
};

function found(pattern: RegExp, what: string, group = 0): string {
  const match = pattern.exec(README);
  if (!match?.[group]) throw new Error(`README no longer shows ${what} (${pattern})`);
  return match[group];
}

const CUSTOMER = '<workspace>/schemas/customer.schema.json';
const TUG = '<workspace>/schemas/tug.schema.json';
const TYPES = '"CONTRACTOR", "DEALER", "DISTRIBUTOR", "OEM", "RENTAL", "SERVICE", "OTHER"';
const at = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });
const fromCustomerSchema = (range: Diagnostic['range'], message: string): Diagnostic => ({
  range,
  message,
  severity: 1,
  source: 'yaml-schema: Customer',
  schemaUri: [CUSTOMER],
});
/** The server's order is not part of what an editor shows; position (then message) is. */
const byPosition = (ds: Diagnostic[]) =>
  [...ds].sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.message.localeCompare(b.message),
  );

/** Every Customer field an editor offers on an empty line of a document that has `kind`, `externalReference`, `name`. */
const OFFERED_CUSTOMER_FIELDS = ['apiVersion', 'protected', 'type', 'address', 'phoneNumber', 'email', 'website', 'contacts', 'customFields'];

let workspace: string;
let editor: YamlEditor;

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'tug-editors-'));
  cpSync(join(REPO, 'schemas'), join(workspace, 'schemas'), { recursive: true });
  editor = await YamlEditor.start(workspace);
});

afterAll(async () => {
  await editor?.stop();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

describe('yaml-language-server with the modeline README shows', () => {
  it('flags an unknown field, a wrong enum value and a missing required field, each where it is', async () => {
    const text = [
      MODELINE,
      'kind: Customer',
      'externalReference: CUST-1001',
      'name: Hansen Byg ApS',
      'type: BUILDER',
      'webiste: https://hansen-byg.dk',
      '---',
      MODELINE,
      'kind: Customer',
      'name: Jensen Entreprise A/S',
      '',
    ].join('\n');
    const diagnostics = await editor.open('manifests/customers.yaml', text);
    expect(byPosition(diagnostics)).toEqual([
      fromCustomerSchema(at(4, 6, 13), `Value is not accepted. Valid values: ${TYPES}.`),
      fromCustomerSchema(at(5, 0, 7), 'Property webiste is not allowed.'),
      fromCustomerSchema(at(8, 0, 1), 'Missing property "externalReference".'),
    ]);
  });

  it('offers the Customer fields the schema declares, and a contact’s fields inside `contacts`', async () => {
    const text = [MODELINE, 'kind: Customer', 'externalReference: CUST-1003', 'name: Madsen Maskiner', '', 'contacts:', '  - name: Mette', '    '].join('\n');
    expect(await editor.open('manifests/completion.yaml', text)).toEqual([]);
    const fields = await editor.complete('manifests/completion.yaml', 4, 0);
    expect(fields).toEqual(OFFERED_CUSTOMER_FIELDS.filter((f) => f !== 'contacts'));
    expect(await editor.complete('manifests/completion.yaml', 7, 4)).toEqual(['email', 'phoneNumber', 'title']);
  });

  it('checks only the document the modeline heads (why README says: repeat it after every ---)', async () => {
    const text = [MODELINE, 'kind: Customer', 'externalReference: CUST-1001', 'name: Hansen Byg ApS', 'type: BUILDER', '---', 'kind: Customer', 'nmae: unchecked', ''].join('\n');
    expect(await editor.open('manifests/one-modeline.yaml', text)).toEqual([fromCustomerSchema(at(4, 6, 13), `Value is not accepted. Valid values: ${TYPES}.`)]);
  });

  it('checks tug.yaml with its modeline', async () => {
    const text = [TUG_MODELINE, 'apiVersion: tug/v1', 'concurrency: 100', ''].join('\n');
    expect(await editor.open('tug.yaml', text)).toEqual([
      { range: at(2, 13, 16), message: 'Value is above the maximum of 64.', severity: 1, source: 'yaml-schema: tug.yaml', schemaUri: [TUG] },
    ]);
  });
});

describe('yaml-language-server with the .vscode/settings.json README shows', () => {
  beforeAll(() => editor.configure({ schemas: SETTINGS['yaml.schemas'] }));

  // A .yml file one folder down: README's globs are `manifests/**/*.yaml` and `manifests/**/*.yml`.
  it('checks every document of a manifest file without a modeline', async () => {
    const text = ['kind: Customer', 'externalReference: CUST-1001', 'name: Hansen Byg ApS', 'type: BUILDER', '---', 'kind: Customer', 'nmae: Jensen', ''].join('\n');
    expect(byPosition(await editor.open('manifests/deep/customers.yml', text))).toEqual([
      fromCustomerSchema(at(3, 6, 13), `Value is not accepted. Valid values: ${TYPES}.`),
      fromCustomerSchema(at(5, 0, 1), 'Missing property "externalReference".'),
      fromCustomerSchema(at(5, 0, 1), 'Missing property "name".'),
      fromCustomerSchema(at(6, 0, 4), 'Property nmae is not allowed.'),
    ]);
  });

  it('offers, in a Customer document, every field customer.schema.json declares but `kind`', async () => {
    const text = ['kind: Customer', ''].join('\n');
    expect(await editor.open('manifests/new-customer.yaml', text)).toEqual([
      fromCustomerSchema(at(0, 0, 1), 'Missing property "externalReference".'),
      fromCustomerSchema(at(0, 0, 1), 'Missing property "name".'),
    ]);
    const declared = Object.keys(CUSTOMER_SCHEMA.properties).filter((field) => field !== 'kind');
    expect(await editor.complete('manifests/new-customer.yaml', 1, 0)).toEqual(declared);
  });

  // The server reads the pattern `tug.yaml` as `**/tug.yaml`; the workspace's own tug.yaml is open already.
  it('checks tug.yaml', async () => {
    const text = ['apiVersion: tug/v1', 'concurrency: 100', ''].join('\n');
    expect(await editor.open('config/tug.yaml', text)).toEqual([
      { range: at(1, 13, 16), message: 'Value is above the maximum of 64.', severity: 1, source: 'yaml-schema: tug.yaml', schemaUri: [TUG] },
    ]);
  });
});
