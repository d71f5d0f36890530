/**
 * Access tokens for the client (../shared/trackunit-api/auth.md): v2 client credentials with scopes,
 * or v1 password grant with HTTP Basic client auth and refresh tokens (offline_access).
 *
 * The token is cached in memory and renewed shortly before it expires; however many calls wait, only
 * one token request is in flight (single-flight). `invalidate()` after a 401 makes the next caller
 * fetch a new token. Secrets and tokens never leave this module except in request headers.
 */
import type { AuthConfig } from './config.js';
import { AuthError } from './errors.js';
import type { Transport } from './http.js';
import type { RunMetrics } from './metrics.js';
import type { SchedulerClock } from './rate-scheduler.js';

interface CachedToken {
  value: string;
  expiresAt: number;
}

/** Renew this long before expiry: 60 s, or a tenth of a short lifetime. */
function renewalMargin(lifetimeMs: number): number {
  return Math.min(60_000, lifetimeMs / 10);
}

const TRANSIENT = new Set([429, 500, 502, 503, 504]);

/** Attempts per token fetch unless the client allows fewer (`retry.maxAttempts`, e.g. doctor's 3). */
export const TOKEN_MAX_ATTEMPTS = 4;

export class TokenProvider {
  private cached: CachedToken | undefined;
  private renewAt = 0;
  private inFlight: Promise<string> | undefined;
  private refreshToken: string | undefined;

  constructor(
    private readonly auth: AuthConfig,
    private readonly authUrl: string,
    private readonly transport: Transport,
    private readonly clock: SchedulerClock,
    private readonly metrics: RunMetrics,
    /** Attempts per token fetch, the first included. */
    private readonly maxAttempts: number = TOKEN_MAX_ATTEMPTS,
  ) {}

  /** A valid access token; fetched at most once at a time. */
  async token(): Promise<string> {
    if (this.cached && this.clock.now() < this.renewAt) return this.cached.value;
    this.inFlight ??= this.fetchToken().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** The server refused `token` (401): forget it so the next call fetches a fresh one. */
  invalidate(token: string): void {
    if (this.cached?.value === token) {
      this.cached = undefined;
      this.renewAt = 0;
    }
  }

  private async fetchToken(): Promise<string> {
    const { maxAttempts } = this;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.requestOnce();
      } catch (error) {
        const transient = error instanceof TransientAuthFailure;
        if (!transient || attempt >= maxAttempts) {
          if (error instanceof TransientAuthFailure) throw error.toAuthError(attempt);
          throw error;
        }
        await this.clock.sleep(250 * 2 ** (attempt - 1));
        this.metrics.tokenRetries += 1;
      }
    }
  }

  private form(): { path: string; fields: Record<string, string>; headers: Record<string, string> } {
    const { auth } = this;
    if (auth.flow === 'v2') {
      return {
        path: '/token/v2',
        fields: { grant_type: 'client_credentials', client_id: auth.clientId, client_secret: auth.clientSecret, scope: auth.scopes.join(' ') },
        headers: {},
      };
    }
    const basic = `Basic ${Buffer.from(`${encodeURIComponent(auth.clientId)}:${encodeURIComponent(auth.clientSecret)}`).toString('base64')}`;
    const fields: Record<string, string> = this.refreshToken
      ? { grant_type: 'refresh_token', refresh_token: this.refreshToken }
      : { grant_type: 'password', username: auth.username, password: auth.password, scope: auth.offlineAccess ? 'api offline_access' : 'api' };
    return { path: '/token', fields, headers: { authorization: basic } };
  }

  private async requestOnce(): Promise<string> {
    const { path, fields, headers } = this.form();
    const usedRefresh = fields.grant_type === 'refresh_token';
    this.metrics.tokenRequests += 1;
    let response;
    try {
      response = await this.transport.send({
        method: 'POST',
        url: new URL(path, this.authUrl),
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(fields).toString(),
      });
    } catch (error) {
      // The URL in the message: a wrong or stopped auth server is then found without reading the config.
      throw new TransientAuthFailure(path, 0, (error as { code?: string }).code ?? 'network_error', `no response from the authorization server at ${new URL(this.authUrl).origin}`);
    }
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(response.text) as Record<string, unknown>;
    } catch {
      /* not JSON: reported below */
    }
    if (response.status === 200 && typeof body.access_token === 'string') {
      const lifetimeMs = (typeof body.expires_in === 'number' ? body.expires_in : 1200) * 1000;
      const now = this.clock.now();
      this.cached = { value: body.access_token, expiresAt: now + lifetimeMs };
      this.renewAt = now + lifetimeMs - renewalMargin(lifetimeMs);
      if (typeof body.refresh_token === 'string') this.refreshToken = body.refresh_token;
      return body.access_token;
    }
    if (usedRefresh && body.error === 'invalid_grant') {
      // The refresh token expired or was rotated away: fall back to the password grant once.
      this.refreshToken = undefined;
      return this.requestOnce();
    }
    if (TRANSIENT.has(response.status)) {
      throw new TransientAuthFailure(path, response.status, String(body.error ?? 'server_error'), String(body.error_description ?? 'temporary failure'));
    }
    const oauthError = typeof body.error === 'string' ? body.error : 'invalid_response';
    const description = typeof body.error_description === 'string' ? body.error_description : `unexpected answer (HTTP ${response.status})`;
    throw new AuthError(`POST ${path} refused to issue a token (${response.status} ${oauthError}): ${description}`, {
      method: 'POST',
      path,
      status: response.status,
      oauthError,
      flow: this.auth.flow,
    }, hintFor(oauthError, this.auth.flow));
  }
}

function hintFor(oauthError: string, flow: 'v1' | 'v2'): string | undefined {
  if (oauthError === 'invalid_client') return 'TRACKUNIT_CLIENT_ID / TRACKUNIT_CLIENT_SECRET were refused.';
  if (oauthError === 'invalid_grant') return 'TRACKUNIT_USERNAME / TRACKUNIT_PASSWORD were refused.';
  if (oauthError === 'invalid_scope') {
    return flow === 'v2' ? 'TRACKUNIT_SCOPES asks for a scope this API key does not allow; see the key in the API Keys app.' : undefined;
  }
  return undefined;
}

class TransientAuthFailure extends Error {
  constructor(
    readonly path: string,
    readonly status: number,
    readonly oauthError: string,
    readonly description: string,
  ) {
    super(description);
  }

  toAuthError(attempts: number): AuthError {
    return new AuthError(`POST ${this.path} failed after ${attempts} attempts (${this.status || 'no response'} ${this.oauthError}): ${this.description}`, {
      method: 'POST',
      path: this.path,
      status: this.status,
      oauthError: this.oauthError,
      attempts,
    }, 'The authorization server is unreachable or failing; check the auth URL and try again.');
  }
}
