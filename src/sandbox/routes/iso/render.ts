/**
 * Rendering of an ISO 15143-3 snapshot document as JSON or XML, chosen by the Accept header. Both
 * renderers take the same document; the [documented]/[assumed] split is listed in ../iso.ts.
 */
import { XMLBuilder } from 'fast-xml-parser';
import type { Reply } from '../../http.js';
import type { IsoElement, IsoValue } from './equipment.js';

export interface IsoLink {
  rel: 'self' | 'prev' | 'next' | 'last';
  href: string;
}

/** A snapshot response: fleet page (with links) or single element (links omitted). */
export interface SnapshotDocument {
  snapshotTime: string;
  links?: IsoLink[];
  equipment: IsoElement[];
}

/** Namespace on the XML root [assumed: the ISO 15143-3 standard's; Trackunit's exact URI is unknown]. */
export const ISO_NAMESPACE = 'http://standards.iso.org/iso/15143/-3';

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: true });

/** Media ranges of an Accept header with their quality; missing q means 1. */
function acceptQualities(accept: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of accept.split(',')) {
    const [range, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (!range) continue;
    const q = params.find((p) => p.startsWith('q='));
    const quality = q ? Number(q.slice(2)) : 1;
    out.set(range, Number.isFinite(quality) ? quality : 0);
  }
  return out;
}

/** JSON when `application/json` is accepted at least as much as XML; XML otherwise (the default). */
export function wantsJson(accept: string | undefined): boolean {
  const q = acceptQualities(accept ?? '');
  const json = q.get('application/json') ?? 0;
  const xml = Math.max(q.get('application/xml') ?? 0, q.get('text/xml') ?? 0);
  return json > 0 && json >= xml;
}

/**
 * The JSON form of the Metadata block: `metadata` with the asset's id as `assetId`, as a client written
 * from the official aemp-iso-api.json reads it ([observed-3p], evidence/README.md); the XML keeps the
 * documented `Metadata`/`MachineId`. The other three members keep their documented XML names in JSON
 * [assumed: the evidence names only assetId]. Same position in the element, so key order is stable.
 */
function jsonEquipment(element: IsoElement): IsoElement {
  if (!('Metadata' in element)) return element;
  const out: IsoElement = {};
  for (const [key, value] of Object.entries(element)) {
    if (key !== 'Metadata' || value === null || typeof value !== 'object') {
      out[key] = value;
      continue;
    }
    const { MachineId, ...rest } = value;
    out.metadata = { assetId: MachineId ?? null, ...rest };
  }
  return out;
}

export function jsonDocument(doc: SnapshotDocument): Record<string, unknown> {
  return {
    version: '2',
    snapshotTime: doc.snapshotTime,
    ...(doc.links ? { links: doc.links.map((l) => ({ rel: l.rel, href: l.href })) } : {}),
    equipment: doc.equipment.map(jsonEquipment),
  };
}

/** `datetime` becomes an attribute of its element (documented for the extended elements). */
function toXmlNode(value: IsoValue): unknown {
  if (value === null || typeof value !== 'object') return value;
  const node: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) node[key === 'datetime' ? '@_datetime' : key] = toXmlNode(child);
  return node;
}

export function xmlDocument(doc: SnapshotDocument): string {
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    Fleet: {
      '@_xmlns': ISO_NAMESPACE,
      '@_version': '2',
      '@_snapshotTime': doc.snapshotTime,
      Links: (doc.links ?? []).map((l) => ({ rel: l.rel, href: l.href })),
      Equipment: doc.equipment.map(toXmlNode),
    },
  }) as string;
}

export function snapshotReply(doc: SnapshotDocument, accept: string | undefined): Reply {
  if (wantsJson(accept)) return { status: 200, body: jsonDocument(doc) };
  return { status: 200, text: xmlDocument(doc), contentType: 'application/xml' };
}
