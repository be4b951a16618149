// The demo Veza API's routes and their baseline traffic, shared by the API, the load generator and the
// history generator so live and backfilled series carry the same label sets.
export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  route: string; // route template: the `route` label, never the raw path
  ok: number; // status on success
  rps: number; // baseline requests per second
}

export const ROUTES: RouteDef[] = [
  { method: 'GET', route: '/api/v1/products', ok: 200, rps: 6 },
  { method: 'GET', route: '/api/v1/products/:id', ok: 200, rps: 5 },
  { method: 'GET', route: '/api/v1/cart', ok: 200, rps: 3 },
  { method: 'POST', route: '/api/v1/cart/items', ok: 201, rps: 1.5 },
  { method: 'PUT', route: '/api/v1/cart/items/:id', ok: 200, rps: 0.5 },
  { method: 'PATCH', route: '/api/v1/profile', ok: 200, rps: 0.3 },
  { method: 'DELETE', route: '/api/v1/cart/items/:id', ok: 204, rps: 0.5 },
  { method: 'POST', route: '/api/v1/orders', ok: 201, rps: 1 },
];

export const routeKey = (r: { method: string; route: string }) => `${r.method} ${r.route}`;

// Histogram buckets (seconds). 0.5 is the latency SLO threshold (DESIGN.md); few buckets keep the backfill small.
export const BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5];

// Demo-only fault injection: the load generator asks for an error or a slow answer with this header, so
// errors and latency travel through the real API and its real metrics.
export const FAULT_HEADER = 'x-veza-fault';
export const PRODUCTS = 40; // ids 1..40 exist; the load generator also asks for a few that don't (404)
