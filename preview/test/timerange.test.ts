import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRange, parseTime } from '../server/timerange';

test('epoch-ms strings, now-relative and ISO times', () => {
  const now = 1_000_000_000_000;
  assert.equal(parseTime('1700000000000', now, 0), 1_700_000_000_000);
  assert.equal(parseTime('now', now, 0), now);
  assert.equal(parseTime('now-6h', now, 0), now - 6 * 3_600_000);
  assert.equal(parseTime('now-30d', now, 0), now - 30 * 86_400_000);
  assert.equal(parseTime('2024-01-01T00:00:00Z', now, 0), Date.UTC(2024, 0, 1));
  assert.throws(() => parseTime('yesterday', now, 0), /cannot parse time/);
  assert.deepEqual(parseRange(undefined, undefined, now), { fromEpochMS: now - 6 * 3_600_000, toEpochMS: now });
});
