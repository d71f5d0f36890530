// Placeholder until the rental API emulation lands.
import type { RouteDef } from '../router.js';
import type { RouteDeps } from './index.js';

export function rentalRoutes(_deps: RouteDeps): RouteDef[] {
  return [];
}
