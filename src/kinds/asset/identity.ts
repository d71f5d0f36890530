/** How an asset reference names its asset: assetId, serialNumber, pin, else externalReference. */
export function assetRefKey(ref: { assetId?: string; serialNumber?: string; pin?: string; externalReference?: string }): string | undefined {
  if (ref.assetId !== undefined) return `assetId=${ref.assetId}`;
  if (ref.serialNumber !== undefined) return `serialNumber=${ref.serialNumber}`;
  if (ref.pin !== undefined) return `pin=${ref.pin}`;
  if (ref.externalReference !== undefined) return `externalReference=${ref.externalReference}`;
  return undefined;
}
