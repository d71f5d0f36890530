import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, type SandboxHandle } from '../../src/sandbox/index.js';
import { V1, V2, basic, caller, form, start, v1Token, v2Token } from './helpers.js';

const SITES = '/api/site/v1/sites';

describe('auth server: v1 password grant (POST /token)', () => {
  let sandbox: SandboxHandle;
  const clock = new FakeClock('2026-02-01T00:00:00Z');
  beforeAll(async () => {
    sandbox = await start({ clock });
  });
  afterAll(() => sandbox.close());

  const password = (fields: Record<string, string> = {}, auth = basic(V1.clientId, V1.clientSecret)) =>
    form(`${sandbox.url}/token`, { grant_type: 'password', username: V1.username, password: V1.password, scope: 'api', ...fields }, { Authorization: auth });

  it('issues a bearer token that lives 3600 s, without a refresh token for scope api', async () => {
    const res = await password();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'api' });
    expect(res.body.access_token).toEqual(expect.any(String));
    expect(res.body).not.toHaveProperty('refresh_token');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('adds a refresh token with offline_access; refreshing rotates it (the old one is then invalid)', async () => {
    const first = await password({ scope: 'api offline_access' });
    expect(first.body.scope).toBe('api offline_access');
    const refresh = first.body.refresh_token as string;
    const renewed = await form(`${sandbox.url}/token`, { grant_type: 'refresh_token', refresh_token: refresh }, { Authorization: basic(V1.clientId, V1.clientSecret) });
    expect(renewed.status).toBe(200);
    expect(renewed.body.refresh_token).toEqual(expect.any(String));
    expect(renewed.body.refresh_token).not.toBe(refresh);
    expect(renewed.body.access_token).not.toBe(first.body.access_token);
    const reused = await form(`${sandbox.url}/token`, { grant_type: 'refresh_token', refresh_token: refresh }, { Authorization: basic(V1.clientId, V1.clientSecret) });
    expect(reused.status).toBe(400);
    expect(reused.body).toEqual({ error: 'invalid_grant', error_description: 'Invalid refresh token' });
  });

  it('answers OAuth errors: invalid_client (401), invalid_grant, invalid_scope, unsupported_grant_type, invalid_request', async () => {
    expect((await password({}, basic(V1.clientId, 'wrong'))).status).toBe(401);
    expect((await password({}, basic(V1.clientId, 'wrong'))).body.error).toBe('invalid_client');
    expect((await password({}, '')).body.error).toBe('invalid_client');
    const badPassword = await password({ password: 'nope' });
    expect([badPassword.status, badPassword.body.error]).toEqual([400, 'invalid_grant']);
    expect((await password({ scope: 'api admin' })).body.error).toBe('invalid_scope');
    expect((await password({ grant_type: 'authorization_code' })).body.error).toBe('unsupported_grant_type');
    const json = await fetch(`${sandbox.url}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: basic(V1.clientId, V1.clientSecret) },
      body: JSON.stringify({ grant_type: 'password' }),
    });
    expect(json.status).toBe(400);
    expect(((await json.json()) as { error: string }).error).toBe('invalid_request');
  });
});

describe('auth server: v2 client credentials (POST /token/v2)', () => {
  let sandbox: SandboxHandle;
  beforeAll(async () => {
    sandbox = await start();
  });
  afterAll(() => sandbox.close());

  const cc = (fields: Record<string, string>) =>
    form(`${sandbox.url}/token/v2`, { grant_type: 'client_credentials', client_id: V2.clientId, client_secret: V2.clientSecret, ...fields });

  it('issues a token for allowed scopes that lives 1200 s and has no refresh token', async () => {
    const res = await cc({ scope: 'asset.view account.site.manage' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 1200, scope: 'asset.view account.site.manage' });
    expect(res.body).not.toHaveProperty('refresh_token');
  });

  it('answers the documented errors', async () => {
    const scope = await cc({ scope: 'asset.view launch.missiles' });
    expect(scope.status).toBe(400);
    expect(scope.body).toEqual({ error: 'invalid_scope', error_description: 'Requested scope is not allowed for this API Key.' });
    const client = await cc({ scope: 'asset.view', client_secret: 'wrong' });
    expect([client.status, client.body.error]).toEqual([401, 'invalid_client']);
    expect((await cc({ scope: 'asset.view', grant_type: 'password' })).body.error).toBe('unsupported_grant_type');
    expect((await cc({ scope: '' })).body.error).toBe('invalid_request');
  });
});

describe('bearer checks on API calls', () => {
  let sandbox: SandboxHandle;
  const clock = new FakeClock('2026-02-01T00:00:00Z');
  beforeAll(async () => {
    sandbox = await start({ clock, tokenLifetimes: { v1Seconds: 60 } });
  });
  afterAll(() => sandbox.close());

  it('401 with the error object for a missing, unknown or expired token; the issued expires_in follows the configured lifetime', async () => {
    const none = await fetch(`${sandbox.url}${SITES}`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ status: 401, code: 'unauthorized', message: 'Invalid or missing bearer token in Authorization header' });
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await caller(sandbox, 'made-up-token')('GET', SITES)).status).toBe(401);

    const res = await form(`${sandbox.url}/token`, { grant_type: 'password', username: V1.username, password: V1.password, scope: 'api' }, { Authorization: basic(V1.clientId, V1.clientSecret) });
    expect(res.body.expires_in).toBe(60);
    const call = caller(sandbox, res.body.access_token);
    expect((await call('GET', SITES)).status).toBe(200);
    clock.advance(59_000);
    expect((await call('GET', SITES)).status).toBe(200);
    clock.advance(1_000);
    expect((await call('GET', SITES)).status).toBe(401);
  });

  it('expireAll makes every issued token fail (mid-run expiry for client tests)', async () => {
    const call = caller(sandbox, await v1Token(sandbox));
    expect((await call('GET', SITES)).status).toBe(200);
    sandbox.tokens.expireAll();
    expect((await call('GET', SITES)).status).toBe(401);
  });

  it('403 when a v2 token lacks the scope the operation needs; a v1 token acts as the account admin', async () => {
    const viewOnly = caller(sandbox, await v2Token(sandbox, ['asset.view']));
    expect((await viewOnly('GET', SITES)).status).toBe(200);
    const denied = await viewOnly('POST', SITES, { name: 'X', type: 'DEPOT', address: { city: 'Aarhus' } });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('forbidden');
    const admin = caller(sandbox, await v1Token(sandbox));
    expect((await admin('POST', SITES, { name: 'X', type: 'DEPOT', address: { city: 'Aarhus' } })).status).toBe(201);
  });

  it('counts issued tokens per flow', async () => {
    const before = sandbox.tokens.issued.v2;
    await v2Token(sandbox, ['asset.view']);
    expect(sandbox.tokens.issued.v2).toBe(before + 1);
  });
});
