// Placeholder until the custom-fields API emulation lands.
import type { RouteDef } from '../router.js';
import type { RouteDeps } from './index.js';

export function customFieldRoutes(_deps: RouteDeps): RouteDef[] {
  return [];
}
