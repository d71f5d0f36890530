/**
 * Custom Fields API emulation (../shared/trackunit-api/custom-fields.md), base `/api/custom-fields/v1`.
 * Parts: custom-fields/definitions.ts (Definition wire shape, definition CRUD), definition-changes.ts
 * (the change rules a PATCH applies to stored values), values.ts (Value wire shape, values, set-values),
 * value-rules.ts (a value checked against its definition), common.ts (paths, enums, scopes, entities).
 *
 * [documented]
 * - Paths: definitions (GET, POST, PATCH/DELETE by id), values (GET, POST, PATCH/DELETE by id),
 *   `POST /set-values/` (keys as an alternative to definition UUIDs; the router accepts it with or without
 *   the trailing slash).
 * - IrisX is needed to create/change definitions (route `irisx: true` on definition writes); all
 *   definitions (own, app, Trackunit) can be read; those created through the API are owned by the account.
 * - Field types BOOLEAN, DATE, DROPDOWN, EMAIL, NUMBER, PHONE_NUMBER (E.164), STRING, WEB_ADDRESS, JSON,
 *   MONETARY (ISO 4217); scopeType ACCOUNT (default) / ACCOUNT_WRITE_GLOBAL_READ / GLOBAL; entity types
 *   ACCOUNT, ASSET, GROUP, SITE; the definition fields of the SDK manifest (allValues and currency required
 *   for their types, isInteger not with units, multiSelect default false).
 * - Change rules: type immutable; key unique in the account and immutable; a removed dropdown option needs
 *   a replacement, values holding it get it without duplicates; multi→single clears values with more than
 *   one option; numbers outside a new min/max become null; strings longer than a new maximum length are
 *   truncated; pattern changes leave data alone; the previous value is kept in `lastIncompatibleValue`.
 * - GET values for an entity lists every field available on it (standard fields included) — discovery.
 *
 * [assumed]
 * - Every request and response body. Definition: `{id, key, entityType, type, owner, title, description,
 *   translations[{language,title,description}], uiVisible, uiEditable, scopeType, minimum, maximum,
 *   unitSi, unitUs, isInteger, minimumLength, maximumLength, pattern, allValues, multiSelect, currency,
 *   createdAt, updatedAt}` with every field always present and type-irrelevant ones null (isInteger is
 *   false/true for NUMBER, multiSelect for DROPDOWN); title/description fall back to the English (else
 *   first) translation. `valueReplacements` is write-only. Owner names ACCOUNT / APP / TRACKUNIT.
 * - Value: `{id, definitionId, definitionKey, entityId, entityType, value, lastIncompatibleValue,
 *   valueEditable}`; `value` is a wrapper with exactly one member: stringValue (STRING, EMAIL,
 *   PHONE_NUMBER, WEB_ADDRESS, single DROPDOWN), stringArrayValue (multi DROPDOWN), numberValue,
 *   booleanValue, dateValue (YYYY-MM-DD), monetaryValue {amount, currency}, jsonValue. `value` is null after
 *   a change rule cleared it. valueEditable is always true. No createdAt/updatedAt on the wire.
 * - Entity types CUSTOMER and RENTAL_CONTRACT spelled so; a GROUP entityId is any UUID (groups are not
 *   stored); other entities must exist (404 `entity_not_found`); GET values' entityType may be omitted
 *   when the id is found among assets, sites, customers, contracts or the account.
 * - Status codes: 201 on POST definitions/values, 200 on PATCH and set-values, 204 on DELETE.
 * - Error codes: `definition_not_found` (404 by path id; 400 when a body names an unknown definition),
 *   `value_not_found`, `entity_not_found`, `definition_key_already_exists`, `type_immutable`,
 *   `key_immutable` (any different key, also on a keyless definition), `entity_type_immutable`,
 *   `currency_immutable` (MONETARY), `missing_value_replacement` (also when the replacement is not a
 *   remaining option), `value_already_exists`; PATCH/DELETE of an APP/TRACKUNIT definition → 403 forbidden.
 * - Key format `^[A-Za-z0-9][A-Za-z0-9_.-]*$` (≤ 255), unique across the whole account (all entity types,
 *   all owners), case-sensitive. Title ≤ 255, description ≤ 2000, language codes like `en` / `en-US`.
 * - Type-specific fields sent non-null on another type → constraint violation; null is accepted (echoed
 *   wire shapes). `pattern` must match the whole string and is compiled as a JavaScript RegExp (the
 *   service uses RE2: RE2-only syntax may behave differently). EMAIL is a pragmatic `x@y.z` check;
 *   PHONE_NUMBER the E.164 form `^\+[1-9]\d{1,14}$` (no libphonenumber); WEB_ADDRESS an http(s) URL.
 *   A multi-select value must not repeat an option; an empty array is allowed.
 * - Change rules beyond the documented ones: isInteger turned on nulls non-integers, a new MONETARY min/max
 *   nulls out-of-range amounts (both keep lastIncompatibleValue); single→multi re-wraps the value as
 *   stringArrayValue without touching lastIncompatibleValue; a new minimumLength leaves data alone.
 *   valueReplacements entries for options never present are ignored; one for an option that stays → 400.
 * - Writing a fresh value (PATCH value, set-values) clears lastIncompatibleValue.
 * - Lists: page-based; definitions sort on key, title, type, entityType, owner, createdAt, updatedAt and
 *   filter on entityType and key (both repeatable); GET values takes page/size but no sort.
 * - set-values body `{entityId, entityType?, values: [{definitionKey | definitionId, value | null}]}`: upsert;
 *   null deletes the value; a missing `value` is a violation; every item is validated before anything is
 *   written; 200 `{entityId, entityType, values: [Value]}` with all the entity's values afterwards.
 * - v2 scopes: definition reads any of account.view, asset.view, account.custom-fields.manage; definition
 *   writes account.custom-fields.manage; value reads asset.view or account.view; value writes need the
 *   entity's scope (ASSET, RENTAL_CONTRACT → account.asset.manage; SITE → account.site.manage; CUSTOMER →
 *   account.customer.manage; ACCOUNT, GROUP → account.custom-fields.manage), checked in the handler.
 */
import type { RouteDef } from '../router.js';
import type { RouteDeps } from './index.js';
import { definitionRoutes } from './custom-fields/definitions.js';
import { valueRoutes } from './custom-fields/values.js';

export { definitionView } from './custom-fields/definitions.js';
export { valueView } from './custom-fields/values.js';

export function customFieldRoutes(_deps: RouteDeps): RouteDef[] {
  return [...definitionRoutes(), ...valueRoutes()];
}
