/**
 * Route table of the sandbox. Each API module (routes/<api>.ts) contributes RouteDefs; the server
 * matches method + path, then applies the cross-cutting rules every route declares: bearer auth,
 * IrisX entitlement, v2 scopes, the rate-limit family, and fault injection.
 */
import type { Handler } from './http.js';

/** Rate-limit families: one token bucket each (and the ISO export's own documented rules). */
export const FAMILIES = ['auth', 'sites', 'customers', 'custom-fields', 'assets', 'rental', 'iso-fleet', 'iso-single'] as const;
export type Family = (typeof FAMILIES)[number];

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RouteDef {
  /** Stable name `<family>.<operation>`, used in the request log and fault selectors. */
  name: string;
  method: Method;
  /** Path pattern with `:param` segments, e.g. `/api/site/v1/sites/:siteId`. */
  path: string;
  family: Family;
  /** Changes state (fault selector `writes`; commit-then-drop only makes sense here). */
  write: boolean;
  /** No bearer token needed (the token endpoints). */
  public?: boolean;
  /** v2 tokens need at least one of these scopes; v1 (API user) tokens act as the account admin. */
  scopes?: string[];
  /** The account needs IrisX for this operation (documented for Customer, Rental, definition writes). */
  irisx?: boolean;
  handler: Handler;
}

interface CompiledRoute {
  def: RouteDef;
  regex: RegExp;
  paramNames: string[];
}

export type RouteMatch =
  | { kind: 'found'; route: RouteDef; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: Method[] }
  | { kind: 'not-found' };

export class Router {
  private readonly compiled: CompiledRoute[] = [];

  add(...defs: RouteDef[]): void {
    for (const def of defs) {
      const paramNames: string[] = [];
      const pattern = def.path
        .split('/')
        .map((segment) => {
          if (segment.startsWith(':')) {
            paramNames.push(segment.slice(1));
            return '([^/]+)';
          }
          return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        })
        .join('/');
      this.compiled.push({ def, regex: new RegExp(`^${pattern}/?$`), paramNames });
    }
  }

  get routes(): RouteDef[] {
    return this.compiled.map((c) => c.def);
  }

  match(method: string, path: string): RouteMatch {
    const allowed: Method[] = [];
    for (const { def, regex, paramNames } of this.compiled) {
      const m = regex.exec(path);
      if (!m) continue;
      if (def.method !== method) {
        allowed.push(def.method);
        continue;
      }
      const params: Record<string, string> = {};
      paramNames.forEach((name, i) => {
        params[name] = decodeURIComponent(m[i + 1] ?? '');
      });
      return { kind: 'found', route: def, params };
    }
    return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
  }
}
