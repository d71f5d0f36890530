/**
 * Contract → manifests (`tug export`): every contract with its items and custom field values. A
 * contract whose customer has no externalReference, whose status a manifest cannot spell, or whose
 * hiring site is not a depot cannot be written (its items' syncs would compare it as different); an item
 * whose asset Trackunit has not matched cannot name one. Both are reported.
 */
import { compareText, type Json } from '../../core/canonical.js';
import type { ExportResult } from '../../core/kind.js';
import type { LiveState } from '../../core/state.js';
import type { ContractItem } from '../../trackunit/endpoints/rental.js';
import { CONTRACT_STATUSES } from '../common.js';
import { written, writtenAddress, writtenDate, type ExportNames } from '../export-names.js';

const STATUSES: ReadonlySet<string> = new Set(CONTRACT_STATUSES);

/** An item address: none when it has no part (the Rental payload compares an empty one as none). */
function itemAddress(address: ContractItem['deliveryAddress']): Json | undefined {
  const out = writtenAddress(address);
  return out && Object.keys(out).length > 0 ? out : undefined;
}

export function exportContracts(live: LiveState, names: ExportNames): ExportResult {
  const result: ExportResult = { objects: [], skipped: [] };
  const items = new Map<string, ContractItem[]>();
  for (const item of live.contractItems) items.set(item.contractId, [...(items.get(item.contractId) ?? []), item]);
  const contracts = [...live.contracts].sort((a, b) => compareText(a.externalReference, b.externalReference) || compareText(a.id, b.id));
  for (const contract of contracts) {
    const label = `${contract.externalReference} (${contract.contractStatus ?? 'no status'})`;
    const skip = (reason: string, part?: string) => result.skipped.push({ kind: 'Contract', liveId: contract.id, label, reason, ...(part ? { part } : {}) });
    const customer = names.customerRef(contract.customerId);
    const depot = names.depotKey(contract.hiringDepotId);
    const status = contract.contractStatus;
    if (!customer) {
      skip(customer === null ? 'its customer has no externalReference, so a manifest cannot name it' : `its customer ${contract.customerId} is not in the account's customer list`);
      continue;
    }
    if (status === null || !STATUSES.has(status)) {
      skip(status === null ? 'it has no status, which a manifest must give' : `status ${status} is not one a manifest can set`);
      continue;
    }
    if (contract.hiringDepotId && depot === undefined) {
      skip(`its hiring site ${contract.hiringDepotId} is not a DEPOT site of this account`);
      continue;
    }
    const itemsOut: Json[] = [];
    for (const item of [...(items.get(contract.id) ?? [])].sort((a, b) => compareText(a.externalReference, b.externalReference))) {
      const asset = item.assetId ? names.assetRef(item.assetId) : undefined;
      if (!asset) {
        skip(
          item.assetId ? `its asset ${item.assetId} is not in the account's asset list` : 'Trackunit has not matched its asset, so a manifest cannot name it',
          `items.${item.externalReference}`,
        );
        continue;
      }
      itemsOut.push(
        written({
          externalReference: item.externalReference,
          asset: asset as Json,
          onRentDate: writtenDate(item.onRentDate),
          offRentDate: writtenDate(item.offRentDate),
          rentalRate: item.rentalRate ? { unitPrice: item.rentalRate.unitPrice, currency: item.rentalRate.currency, period: item.rentalRate.period } : undefined,
          deliveryAddress: itemAddress(item.deliveryAddress),
          deliveryDate: writtenDate(item.deliveryDate),
          pickupAddress: itemAddress(item.pickupAddress),
          pickupDate: writtenDate(item.pickupDate),
        }),
      );
    }
    const values = names.values('RENTAL_CONTRACT', live.values[contract.id]);
    for (const field of values.skipped) skip('no manifest can set a value of this field', `customFields.${field}`);
    const manifest = written({
      kind: 'Contract',
      externalReference: contract.externalReference,
      customer,
      status,
      startDate: writtenDate(contract.startDate),
      endDate: writtenDate(contract.endDate),
      hiringDepot: depot,
      items: itemsOut.length > 0 ? itemsOut : undefined,
      customFields: values.values,
    });
    result.objects.push({ kind: 'Contract', identity: contract.externalReference, liveId: contract.id, manifest, ...(depot !== undefined ? { depot } : {}) });
  }
  return result;
}
