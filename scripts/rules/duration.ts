// Prometheus durations, read the way Prometheus reads them (model.ParseDuration): units y w d h m s ms,
// largest first, each at most once, and the total must fit in Go's time.Duration (int64 nanoseconds).
// `5m5m`, `1m1h` and `106752d` are refused here instead of by Prometheus at load time.

const UNIT_MS: Array<[string, bigint]> = [
  ['y', 365n * 86_400_000n],
  ['w', 7n * 86_400_000n],
  ['d', 86_400_000n],
  ['h', 3_600_000n],
  ['m', 60_000n],
  ['s', 1_000n],
  ['ms', 1n],
];
const PATTERN = new RegExp(`^${UNIT_MS.map(([u]) => `(?:([0-9]+)${u})?`).join('')}$`);
const MAX_MS = (2n ** 63n - 1n) / 1_000_000n;

/** Milliseconds in a Prometheus duration, or an error saying why Prometheus would refuse it. */
export function parsePromDuration(text: string): number {
  const m = PATTERN.exec(text);
  if (!m || text === '') {
    throw new Error(`"${text}" is not a Prometheus duration (units y w d h m s ms, largest first, each once)`);
  }
  let ms = 0n;
  UNIT_MS.forEach(([, size], i) => {
    if (m[i + 1] !== undefined) {
      ms += BigInt(m[i + 1]) * size;
    }
  });
  if (ms > MAX_MS) {
    throw new Error(`"${text}" overflows a Prometheus duration (at most about 292 years)`);
  }
  if (ms === 0n) {
    throw new Error(`"${text}" is zero; leave the field out instead`);
  }
  return Number(ms);
}
