// Placeholder until the customers API emulation lands.
import type { RouteDef } from '../router.js';
import type { RouteDeps } from './index.js';

export function customerRoutes(_deps: RouteDeps): RouteDef[] {
  return [];
}
