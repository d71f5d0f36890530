// Placeholder until the assets API emulation lands.
import type { RouteDef } from '../router.js';
import type { RouteDeps } from './index.js';

export function assetRoutes(_deps: RouteDeps): RouteDef[] {
  return [];
}
