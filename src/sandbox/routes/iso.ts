// Placeholder until the iso API emulation lands.
import type { RouteDef } from '../router.js';
import type { RouteDeps } from './index.js';

export function isoRoutes(_deps: RouteDeps): RouteDef[] {
  return [];
}
