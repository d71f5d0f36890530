/**
 * Iris Authorization Server emulation (../shared/trackunit-api/auth.md).
 *
 * [documented] POST /token: password grant with HTTP Basic client auth, scope `api` (+`offline_access`
 *   for a refresh token), expires_in 3600; refresh_token grant returns a new access and refresh token.
 * [documented] POST /token/v2: client_credentials with client_id/client_secret in the form, scopes ⊆ the
 *   key's allowed scopes, expires_in 1200, no refresh token; OAuth error JSON for invalid client/scope/grant.
 * [assumed] status codes of the OAuth errors (RFC 6749 §5.2): invalid_client 401, others 400; only
 *   form-encoded bodies are accepted.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Reply, RequestContext } from '../http.js';
import type { RouteDef } from '../router.js';
import type { SandboxCredentials, TokenStore } from '../auth/tokens.js';

function oauthError(status: number, error: string, description: string): Reply {
  return { status, body: { error, error_description: description }, headers: { 'Cache-Control': 'no-store' } };
}

function tokenReply(body: Record<string, unknown>): Reply {
  return { status: 200, body, headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' } };
}

function formFields(ctx: RequestContext): Record<string, string> | undefined {
  const type = (ctx.headers['content-type'] ?? '').toLowerCase();
  if (!type.includes('application/x-www-form-urlencoded')) return undefined;
  return (ctx.body ?? {}) as Record<string, string>;
}

function basicClient(headers: IncomingHttpHeaders): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(headers.authorization ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

function scopeList(raw: string | undefined): string[] {
  return (raw ?? '').split(/\s+/).filter(Boolean);
}

export function authRoutes(deps: { tokens: TokenStore; credentials: () => SandboxCredentials }): RouteDef[] {
  const { tokens } = deps;

  const v1: RouteDef = {
    name: 'auth.token',
    method: 'POST',
    path: '/token',
    family: 'auth',
    write: false,
    public: true,
    handler: (ctx) => {
      const form = formFields(ctx);
      if (!form) return oauthError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
      const client = basicClient(ctx.headers);
      const users = deps.credentials().apiUsers;
      const known = client && users.find((u) => u.clientId === client.id && u.clientSecret === client.secret);
      if (!client || !known) return oauthError(401, 'invalid_client', 'Client authentication failed');

      if (form.grant_type === 'password') {
        if (!form.username || !form.password) return oauthError(400, 'invalid_request', 'username and password are required');
        const user = users.find((u) => u.clientId === client.id && u.username === form.username && u.password === form.password);
        if (!user) return oauthError(400, 'invalid_grant', 'Bad credentials');
        const scopes = scopeList(form.scope ?? 'api');
        const unknown = scopes.filter((s) => s !== 'api' && s !== 'offline_access');
        if (unknown.length > 0 || !scopes.includes('api')) return oauthError(400, 'invalid_scope', `Invalid scope: ${form.scope ?? ''}`);
        return issueV1(user.clientId, user.username, scopes.join(' '));
      }
      if (form.grant_type === 'refresh_token') {
        if (!form.refresh_token) return oauthError(400, 'invalid_request', 'refresh_token is required');
        const grant = tokens.consumeRefresh(form.refresh_token);
        if (!grant || grant.clientId !== client.id) return oauthError(400, 'invalid_grant', 'Invalid refresh token');
        tokens.issued.refresh += 1;
        return issueV1(grant.clientId, grant.username, grant.scope);
      }
      return oauthError(400, 'unsupported_grant_type', `Unsupported grant type: ${form.grant_type ?? ''}`);
    },
  };

  function issueV1(clientId: string, username: string, scope: string): Reply {
    const seconds = tokens.lifetimes.v1Seconds;
    const accessToken = tokens.issueAccess({ flow: 'v1', clientId, username, scopes: scope.split(' ') }, seconds);
    const body: Record<string, unknown> = { token_type: 'Bearer', expires_in: seconds, access_token: accessToken, scope };
    if (scope.split(' ').includes('offline_access')) body.refresh_token = tokens.issueRefresh({ clientId, username, scope });
    return tokenReply(body);
  }

  const v2: RouteDef = {
    name: 'auth.token-v2',
    method: 'POST',
    path: '/token/v2',
    family: 'auth',
    write: false,
    public: true,
    handler: (ctx) => {
      const form = formFields(ctx);
      if (!form) return oauthError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
      if (form.grant_type !== 'client_credentials') {
        return oauthError(400, 'unsupported_grant_type', `Unsupported grant type: ${form.grant_type ?? ''}`);
      }
      if (!form.client_id || !form.client_secret) return oauthError(400, 'invalid_request', 'client_id and client_secret are required');
      const key = deps.credentials().apiKeys.find((k) => k.clientId === form.client_id && k.clientSecret === form.client_secret);
      if (!key) return oauthError(401, 'invalid_client', 'Invalid client credentials.');
      const scopes = scopeList(form.scope);
      if (scopes.length === 0) return oauthError(400, 'invalid_request', 'scope is required');
      if (scopes.some((s) => !key.allowedScopes.includes(s))) {
        return oauthError(400, 'invalid_scope', 'Requested scope is not allowed for this API Key.');
      }
      const seconds = tokens.lifetimes.v2Seconds;
      const accessToken = tokens.issueAccess({ flow: 'v2', clientId: key.clientId, scopes }, seconds);
      return tokenReply({ token_type: 'Bearer', expires_in: seconds, access_token: accessToken, scope: scopes.join(' ') });
    },
  };

  return [v1, v2];
}
