/**
 * Helpers for the sandbox contract tests: they speak plain HTTP (global fetch) to a sandbox started on
 * loopback, exactly as any client would. The project's own client is tested separately.
 */
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../src/sandbox/index.js';

export const V1 = { clientId: 'sandbox-client', clientSecret: 'sandbox-client-secret', username: 'sandbox-user', password: 'sandbox-password' };
export const V2 = { clientId: 'sandbox-key', clientSecret: 'sandbox-key-secret' };

export async function start(options: SandboxOptions = {}): Promise<SandboxHandle> {
  return startSandbox({ port: 0, seed: 'demo', ...options });
}

export interface Res<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

async function toRes(response: Response): Promise<Res> {
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body, text };
}

export async function form(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Res> {
  return toRes(
    await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    }),
  );
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

/** A v1 (API user) access token. */
export async function v1Token(sandbox: SandboxHandle, scope = 'api'): Promise<string> {
  const res = await form(`${sandbox.url}/token`, { grant_type: 'password', username: V1.username, password: V1.password, scope }, {
    Authorization: basic(V1.clientId, V1.clientSecret),
  });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.text}`);
  return res.body.access_token as string;
}

/** A v2 (API key) access token with the given scopes. */
export async function v2Token(sandbox: SandboxHandle, scopes: string[]): Promise<string> {
  const res = await form(`${sandbox.url}/token/v2`, { grant_type: 'client_credentials', client_id: V2.clientId, client_secret: V2.clientSecret, scope: scopes.join(' ') });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.text}`);
  return res.body.access_token as string;
}

/** A bound API caller: `await call('GET', '/api/site/v1/sites?size=5')`. */
export function caller(sandbox: SandboxHandle, token: string) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> =>
    toRes(
      await fetch(`${sandbox.url}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
}

export async function authed(sandbox: SandboxHandle) {
  return caller(sandbox, await v1Token(sandbox));
}
