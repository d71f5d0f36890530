/**
 * Token bookkeeping of the sandbox's authorization server: opaque random access and refresh tokens,
 * each mapped to the principal it was issued to. Lifetimes follow the injectable clock.
 * Documented: v1 tokens live 3600 s, v2 tokens 1200 s; v1 refresh tokens rotate on use [assumed].
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';

export const V1_TOKEN_SECONDS = 3600;
export const V2_TOKEN_SECONDS = 1200;
/** [assumed] Refresh tokens are not documented to expire; the sandbox gives them 30 days. */
export const REFRESH_TOKEN_SECONDS = 30 * 24 * 3600;

export interface ApiUserCredential {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
}

export interface ApiKeyCredential {
  clientId: string;
  clientSecret: string;
  allowedScopes: string[];
}

export interface SandboxCredentials {
  apiUsers: ApiUserCredential[];
  apiKeys: ApiKeyCredential[];
}

/** Every v2 scope the sandbox knows ([assumed] vocabulary from the IrisX App SDK, see auth.md). */
export const KNOWN_SCOPES = [
  'asset.view',
  'account.view',
  'account.asset.manage',
  'account.site.manage',
  'account.customer.manage',
  'account.custom-fields.manage',
  'account.group.manage',
] as const;

/**
 * The sandbox's default credentials. They exist only in the sandbox; README.md documents them so a
 * user can point `tug` at `tug sandbox` by setting the usual environment variables.
 */
export const DEFAULT_CREDENTIALS: SandboxCredentials = {
  apiUsers: [
    { clientId: 'sandbox-client', clientSecret: 'sandbox-client-secret', username: 'sandbox-user', password: 'sandbox-password' },
  ],
  apiKeys: [{ clientId: 'sandbox-key', clientSecret: 'sandbox-key-secret', allowedScopes: [...KNOWN_SCOPES] }],
};

/** Who is calling: an API user (v1, acts as account admin) or a scoped API key (v2). */
export interface Principal {
  flow: 'v1' | 'v2';
  clientId: string;
  username?: string;
  /** Granted scopes; v1 tokens carry `api` and may do everything the account may. */
  scopes: string[];
  expiresAt: number;
}

interface RefreshGrant {
  clientId: string;
  username: string;
  scope: string;
  expiresAt: number;
}

export interface TokenLifetimes {
  v1Seconds: number;
  v2Seconds: number;
}

export class TokenStore {
  private readonly access = new Map<string, Principal>();
  private readonly refresh = new Map<string, RefreshGrant>();
  /** Number of tokens issued per flow: tests assert "exactly one token request". */
  readonly issued = { v1: 0, v2: 0, refresh: 0 };
  /** Every token value ever handed out, so tests can prove none of them leaks into output. */
  readonly everIssued: string[] = [];

  constructor(
    private readonly clock: Clock,
    public lifetimes: TokenLifetimes = { v1Seconds: V1_TOKEN_SECONDS, v2Seconds: V2_TOKEN_SECONDS },
  ) {}

  issueAccess(principal: Omit<Principal, 'expiresAt'>, seconds: number): string {
    const token = randomBytes(24).toString('base64url');
    this.access.set(token, { ...principal, expiresAt: this.clock.now() + seconds * 1000 });
    this.everIssued.push(token);
    this.issued[principal.flow] += 1;
    return token;
  }

  issueRefresh(grant: Omit<RefreshGrant, 'expiresAt'>): string {
    const token = randomBytes(32).toString('base64url');
    this.refresh.set(token, { ...grant, expiresAt: this.clock.now() + REFRESH_TOKEN_SECONDS * 1000 });
    this.everIssued.push(token);
    return token;
  }

  /** Takes a refresh token out of circulation (rotation) and returns its grant if it was valid. */
  consumeRefresh(token: string): RefreshGrant | undefined {
    const grant = this.refresh.get(token);
    this.refresh.delete(token);
    if (!grant || grant.expiresAt <= this.clock.now()) return undefined;
    return grant;
  }

  /** The principal of a valid, unexpired access token. */
  verify(token: string): Principal | undefined {
    const principal = this.access.get(token);
    if (!principal) return undefined;
    if (principal.expiresAt <= this.clock.now()) {
      this.access.delete(token);
      return undefined;
    }
    return principal;
  }

  /** Test switch: every issued access token stops working now (the client's 401 path). */
  expireAll(): void {
    this.access.clear();
  }
}
