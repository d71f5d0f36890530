/**
 * Shapes shared by several Trackunit APIs, and the probe contract `tug doctor` runs per API.
 */
import type { TrackunitClient } from '../client.js';
import type { ApiFamily } from '../config.js';
import { s, type Schema } from '../shapes.js';

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
