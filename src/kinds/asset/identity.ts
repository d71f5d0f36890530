/**
 * How a manifest names an asset: the reference fields, the key an identity is written as
 * (`serialNumber=…`), and how a serial number is matched to a live asset.
 */
import type { AssetRef } from './manifest.js';

/** The fields an asset reference names its asset by, in the order tug tries them. */
export const ASSET_REF_KEYS = ['assetId', 'serialNumber', 'pin', 'externalReference'] as const;

/** How tug matches a serial number to a live asset (refs.ts and the checks): ignoring case and surrounding spaces. */
export const matchSerial = (serial: string): string => serial.trim().toUpperCase();

/** An asset reference as a key to compare by: assetRefKey, with the serial number as tug matches it. */
export function assetMatchKey(ref: AssetRef): string | undefined {
  const serial = ref.serialNumber === undefined ? undefined : matchSerial(ref.serialNumber);
  return assetRefKey(serial === undefined ? ref : { ...ref, serialNumber: serial });
}

/** How an asset reference names its asset: assetId, serialNumber, pin, else externalReference. */
export function assetRefKey(ref: { assetId?: string; serialNumber?: string; pin?: string; externalReference?: string }): string | undefined {
  if (ref.assetId !== undefined) return `assetId=${ref.assetId}`;
  if (ref.serialNumber !== undefined) return `serialNumber=${ref.serialNumber}`;
  if (ref.pin !== undefined) return `pin=${ref.pin}`;
  if (ref.externalReference !== undefined) return `externalReference=${ref.externalReference}`;
  return undefined;
}
