// The load generator's knobs and the bounds a PUT /knobs must respect. rps is bounded because the generator
// fires rps/10 requests per 100 ms tick in a loop: 1e300 would never leave the loop, and even 1e5 would turn a
// demo into a load test of this machine.
export interface Knob {
  rps: number;
  errorShare: number;
  slowShare: number;
}

export const MAX_RPS = 200;
const FIELDS = ['rps', 'errorShare', 'slowShare'] as const;

/**
 * Applies a knob patch ({ "<key>": { rps?, errorShare?, slowShare? } }, key "*", a method or a route key) to a copy
 * of the knobs, broadest key first. Throws with a message for the 400 answer; the knobs are untouched on error.
 */
export function applyPatch(knobs: Record<string, Knob>, patch: unknown): Record<string, Knob> {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
    throw new Error('body must be a JSON object such as {"GET":{"errorShare":1}}');
  }
  const next = Object.fromEntries(Object.entries(knobs).map(([k, v]) => [k, { ...v }]));
  const order = (key: string) => (key === '*' ? 0 : key.includes(' ') ? 2 : 1);
  const entries = Object.entries(patch as Record<string, unknown>).sort(([a], [b]) => order(a) - order(b));
  for (const [key, change] of entries) {
    const targets = Object.keys(next).filter((k) => key === '*' || k === key || k.startsWith(`${key} `));
    if (!targets.length) {
      throw new Error(`unknown knob key ${key}; use "*", a method or one of: ${Object.keys(next).join(', ')}`);
    }
    if (change === null || typeof change !== 'object' || Array.isArray(change)) {
      throw new Error(`${key} must be an object with rps, errorShare or slowShare`);
    }
    for (const field of Object.keys(change)) {
      if (!(FIELDS as readonly string[]).includes(field)) {
        throw new Error(`${key}.${field} is not a knob (rps, errorShare, slowShare)`);
      }
    }
    for (const f of FIELDS) {
      const v = (change as Partial<Record<string, unknown>>)[f];
      if (v === undefined) {
        continue;
      }
      const max = f === 'rps' ? MAX_RPS : 1;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > max) {
        throw new Error(`${key}.${f} must be a number from 0 to ${max}`);
      }
      for (const t of targets) {
        next[t][f] = v;
      }
    }
  }
  return next;
}
