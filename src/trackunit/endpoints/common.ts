/**
 * Shapes shared by several Trackunit APIs, and the probe contract `tug doctor` runs per API.
 */
import type { TrackunitClient } from '../client.js';
import type { ApiFamily } from '../config.js';
import { s, type Schema } from '../shapes.js';

/*
 * How Trackunit compares identities — [assumed], and we have no evidence either way. Nothing we could read
 * says whether a site's or definition's `key`, a customer's, contract's, contract item's or asset's
 * `externalReference`, or an asset's serial number or PIN is compared exactly, trimmed, ignoring case, or
 * after Unicode normalisation (NFC/NFKC). The one hint is the Rental API's SERIAL_NUMBER matching, which
 * the reference notes as "case-insensitive trim" — itself [assumed] (trackunit-api/rental.md); the sandbox
 * does that for serials (and ASSET_ID) and compares everything else exactly.
 *
 * tug compares exactly (code unit by code unit, no trimming, no case folding), the only rule that never
 * merges two things the user meant apart, except serial numbers, which src/core/refs.ts matches trimmed and
 * ignoring case, as the Rental API is taken to. The doubtful cases are made loud before anything is written
 * (src/manifests/checks/identity-spelling.ts): invisible or control characters in an identity are errors,
 * identities of one kind that differ only in letter case or normalisation are warnings. When the OpenAPI
 * files or a test account show what Trackunit does, tighten that check (a case-only difference becomes an
 * error where Trackunit folds case), not the plan's matching.
 */

/** Postal address [assumed shape: the Sites docs name street, ZIP code, city and country]. */
export interface Address {
  streetAddress?: string | null;
  zipCode?: string | null;
  city?: string | null;
  country?: string | null;
}

export const addressSchema: Schema = s.object(
  { streetAddress: s.nullableString, zipCode: s.nullableString, city: s.nullableString, country: s.nullableString },
  [],
);

/** One harmless read per API for `tug doctor`: entitlement check plus response-shape check. */
export interface EndpointProbe {
  api: string;
  family: ApiFamily;
  /** What the account needs for this API (explains a 403). */
  entitlement: string;
  read: (client: TrackunitClient) => Promise<unknown>;
  schema: Schema;
  /**
   * Set when the read itself has no public evidence (an [assumed] endpoint, not just an assumed body):
   * `tug doctor` then says so next to the result, and a 404 means the endpoint is missing, not the data.
   */
  unverified?: {
    /** The request, e.g. `GET /api/rental/v1/contracts`. */
    read: string;
    /** What tug needs it for ("to find …"). */
    neededFor: string;
    /** What tug cannot do when the server does not have it. */
    without: string;
  };
}
