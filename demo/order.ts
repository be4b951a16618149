// What POST /api/v1/orders accepts. A malformed order is the client's fault and answers 400: it must never
// reach the database and come back as a 503, which the payment-success SLO counts as our failure.
export interface Order {
  sku: string;
  qty: number;
}

export const MAX_BODY_BYTES = 16 * 1024;
const SKU = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const MAX_QTY = 1000;

/** The order in a request body, or the reason it is refused (the text of the 400 answer). */
export function parseOrder(body: string): { order: Order } | { error: string } {
  let data: unknown;
  try {
    // An empty body is the demo's default order, as before (the load generator always sends one).
    data = body.trim() === '' ? {} : JSON.parse(body);
  } catch {
    return { error: 'body must be JSON' };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { error: 'body must be a JSON object such as {"sku":"SKU-1","qty":1}' };
  }
  const { sku = 'SKU-1', qty = 1 } = data as Record<string, unknown>;
  if (typeof sku !== 'string' || !SKU.test(sku)) {
    return { error: 'sku must be 1-64 letters, digits, "-" or "_"' };
  }
  if (typeof qty !== 'number' || !Number.isInteger(qty) || qty < 1 || qty > MAX_QTY) {
    return { error: `qty must be a whole number from 1 to ${MAX_QTY}` };
  }
  return { order: { sku, qty } };
}
