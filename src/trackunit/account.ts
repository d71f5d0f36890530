/**
 * Which Trackunit account state belongs to: the Iris URL and the client id (plus the user for the v1
 * flow) — never a secret. The key is readable and stable: `<host>-<12 hex of SHA-256(url, id)>`, the
 * same name the local ISO cache directory has always had, so a state store holds several accounts side by
 * side and never mixes their locks, journals or budgets.
 */
import { createHash } from 'node:crypto';
import type { AuthConfig } from './config.js';

export interface Account {
  /** `iris.trackunit.com-0123456789ab` */
  key: string;
  irisUrl: string;
}

/** The account id a client authenticates as: client id (and user for v1). */
export function accountIdOf(auth: AuthConfig): string {
  return auth.flow === 'v1' ? `${auth.clientId}/${auth.username}` : auth.clientId;
}

export function accountOf(config: { irisUrl: string; auth: AuthConfig }): Account {
  return account(config.irisUrl, accountIdOf(config.auth));
}

export function account(irisUrl: string, accountId: string): Account {
  const host = new URL(irisUrl).host.replace(/[^a-zA-Z0-9.-]/g, '_');
  return { key: `${host}-${createHash('sha256').update(`${irisUrl}\n${accountId}`).digest('hex').slice(0, 12)}`, irisUrl };
}
