/**
 * ISO 15143-3 (AEMP 2.0) snapshot documents — fleet page or single element — parsed into ONE normalised
 * form whatever the wire format (../shared/trackunit-api/iso-export.md, §Response structure):
 *
 * - JSON: top-level keys looked up case-insensitively (`links`/`Links`, `equipment`/`Equipment`, and the
 *   `rel`/`href` of each link); element keys are kept exactly as sent.
 * - XML: namespaces ignored (prefixes and xmlns attributes dropped), root attributes `version` and
 *   `snapshotTime` read like the JSON keys, other attributes kept as plain keys (so the documented
 *   `datetime` attribute becomes a `datetime` key, as in JSON), repeated `Links`/`Equipment` always arrays
 *   even when there is one, element text turned into numbers and booleans where it reads as one.
 * - Both: text elements — identifiers (PIN, VIN, *SerialNumber, *ReferenceNumber, *ID / *Id) and the
 *   known free-text and unit elements (OEMName, Model, *Units, Status, State, …) — are always strings, so
 *   a digit-only PIN like `03000001` keeps its leading zeros and a Model `320` stays `"320"`.
 *
 * [assumed] an empty XML element means no value (`null`, as the JSON form's `null`); the text of an XML
 * element that also has attributes is kept under `#text` (ISO elements never mix them, as far as known);
 * a JSON document without any `equipment` key, or a document that is neither JSON nor XML, is an error
 * (a silent empty fleet would hide a changed shape).
 */
import { XMLParser } from 'fast-xml-parser';
import { TugError } from '../../errors.js';
import type { IsoLink } from '../paginate.js';

/** One `Equipment` element: PascalCase element names as sent (`EquipmentHeader`, `Location`, `Metadata`, …). */
export type IsoEquipment = Record<string, unknown>;

/** A fleet snapshot page or single-element snapshot; `links` is empty when the response has none. */
export interface IsoFleetPage {
  version?: string;
  snapshotTime?: string;
  links: IsoLink[];
  equipment: IsoEquipment[];
}

const IDENTIFIER = /^(?:PIN|VIN)$|SerialNumber$|ReferenceNumber$|(?:ID|Id)$/;

/** Elements whose value is text by definition (iso-export.md element tables and extension XSD). */
const TEXT_ELEMENTS = new Set([
  'OEMName',
  'Model',
  'UnitInstallDateTime',
  'Unit',
  'Status',
  'State',
  'WaterInFuelIndicator',
  'SeatBeltSwitch',
  'AfterTreatmentScrOperatorInducementSeverity',
  'DieselParticulateFilterActiveRegenerationInhibitedDuetoInhibitSwitch',
  'HydraulicOilFilterRestrictionSwitch',
  'ServiceComponentIdentification',
]);

/** True for an element whose value must stay a string (identifiers, names, units, states). */
export function isTextElement(name: string): boolean {
  return IDENTIFIER.test(name) || TEXT_ELEMENTS.has(name) || name.endsWith('Units');
}

type Tree = Record<string, unknown>;
const isTree = (value: unknown): value is Tree => typeof value === 'object' && value !== null && !Array.isArray(value);
const asArray = (value: unknown): unknown[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);

/** `obj[name]`, falling back to a key that differs only in case. */
function pick(obj: Tree, name: string): unknown {
  if (name in obj) return obj[name];
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : obj[key];
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value));
const optionalText = (value: unknown): string | undefined => (value === undefined || value === null ? undefined : text(value));

function unreadable(source: string, reason: string): TugError {
  return new TugError('iso_unreadable', `${source}: ${reason}`, {
    hint: 'The ISO 15143-3 export answered in a shape tug does not recognise; `tug doctor` checks it.',
    meta: { source },
  });
}

/** A link as `{rel, href}` strings; a missing part is '' so `tug doctor`'s schema reports it. */
function toLink(raw: unknown): IsoLink {
  if (!isTree(raw)) return { rel: '', href: '' };
  return { rel: text(pick(raw, 'rel')), href: text(pick(raw, 'href')) };
}

function toEquipmentList(raw: unknown, source: string, fromXml: boolean): IsoEquipment[] {
  return asArray(raw).map((item, i) => {
    const element = fromXml ? xmlNode(item === '' ? {} : item, 'Equipment') : jsonNode(item, 'Equipment');
    if (!isTree(element)) throw unreadable(source, `equipment[${i}] is not an object`);
    return element;
  });
}

// --- JSON ---------------------------------------------------------------------------------------

/** Values as sent, except text elements: a number there becomes its string. */
function jsonNode(value: unknown, name: string): unknown {
  if (Array.isArray(value)) return value.map((v) => jsonNode(v, name));
  if (isTree(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonNode(v, k)]));
  if ((typeof value === 'number' || typeof value === 'boolean') && isTextElement(name)) return String(value);
  return value;
}

function parseJsonDocument(raw: string, source: string): IsoFleetPage {
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch (error) {
    throw unreadable(source, `invalid JSON (${(error as Error).message})`);
  }
  if (!isTree(doc)) throw unreadable(source, 'the JSON document is not an object');
  const equipment = pick(doc, 'equipment');
  if (equipment === undefined) throw unreadable(source, 'the JSON document has no equipment list');
  return {
    version: optionalText(pick(doc, 'version')),
    snapshotTime: optionalText(pick(doc, 'snapshotTime')),
    links: asArray(pick(doc, 'links')).map(toLink),
    equipment: toEquipmentList(equipment, source, false),
  };
}

// --- XML ----------------------------------------------------------------------------------------

const ATTR = '@_';
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Children of the root that repeat (Links, Equipment): always arrays. */
const REPEATED = new Set(['links', 'equipment']);

const xmlParser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (name, jpath, _leaf, isAttribute) => !isAttribute && String(jpath).split('.').length === 2 && REPEATED.has(name.toLowerCase()),
});

function xmlScalar(value: string, name: string): unknown {
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (isTextElement(name)) return trimmed;
  if (NUMBER.test(trimmed)) return Number(trimmed);
  const lower = trimmed.toLowerCase();
  if (lower === 'true' || lower === 'false') return lower === 'true';
  return trimmed;
}

/** Attributes become plain keys (strings, as sent); element text is typed by xmlScalar. */
function xmlNode(value: unknown, name: string): unknown {
  if (Array.isArray(value)) return value.map((v) => xmlNode(v, name));
  if (!isTree(value)) return xmlScalar(text(value), name);
  const out: Tree = {};
  for (const [key, child] of Object.entries(value)) {
    if (key.startsWith(ATTR)) out[key.slice(ATTR.length)] = child;
    else out[key] = key === '#text' ? xmlScalar(text(child), name) : xmlNode(child, key);
  }
  return out;
}

function parseXmlDocument(raw: string, source: string): IsoFleetPage {
  let doc: unknown;
  try {
    doc = xmlParser.parse(raw);
  } catch (error) {
    throw unreadable(source, `invalid XML (${(error as Error).message})`);
  }
  const rootName = isTree(doc) ? Object.keys(doc)[0] : undefined;
  if (!isTree(doc) || rootName === undefined) throw unreadable(source, 'the XML document has no root element');
  const rawRoot = doc[rootName];
  const root: Tree = isTree(rawRoot) ? rawRoot : {};
  return {
    version: optionalText(root[`${ATTR}version`]),
    snapshotTime: optionalText(root[`${ATTR}snapshotTime`]),
    links: asArray(pick(root, 'Links')).map(toLink),
    equipment: toEquipmentList(pick(root, 'Equipment'), source, true),
  };
}

/**
 * Parse one ISO snapshot response body. The format is read from the body itself (`{` JSON, `<` XML),
 * not from the Accept header sent, so a server that ignores Accept is still understood. `source`
 * (e.g. `GET /…/Fleet/1`) names the response in errors.
 */
export function parseIsoDocument(raw: string, source = 'ISO 15143-3 response'): IsoFleetPage {
  const body = raw.replace(/^\uFEFF/, '').trimStart();
  let page: IsoFleetPage;
  if (body.startsWith('{')) page = parseJsonDocument(body, source);
  else if (body.startsWith('<')) page = parseXmlDocument(body, source);
  else throw unreadable(source, body === '' ? 'empty body' : 'the body is neither JSON nor XML');
  if (page.version === undefined) delete page.version;
  if (page.snapshotTime === undefined) delete page.snapshotTime;
  return page;
}
