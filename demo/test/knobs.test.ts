import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyPatch, Knob, MAX_RPS } from '../knobs';

const base = (): Record<string, Knob> => ({
  'GET /a': { rps: 5, errorShare: 0, slowShare: 0 },
  'GET /b': { rps: 2, errorShare: 0, slowShare: 0 },
  'POST /c': { rps: 1, errorShare: 0, slowShare: 0 },
});

test('a patch applies broadest key first: "*" then the method then the route', () => {
  const next = applyPatch(base(), { 'GET /a': { errorShare: 0.5 }, GET: { errorShare: 1 }, '*': { slowShare: 0.1 } });
  assert.equal(next['GET /a'].errorShare, 0.5);
  assert.equal(next['GET /b'].errorShare, 1);
  assert.equal(next['POST /c'].errorShare, 0);
  assert.equal(next['POST /c'].slowShare, 0.1);
});

test('out-of-range, non-finite and unknown values are refused and the knobs stay as they were', () => {
  const knobs = base();
  const refused: Array<[unknown, RegExp]> = [
    [{ '*': { rps: 1e300 } }, new RegExp(`rps must be a number from 0 to ${MAX_RPS}`)],
    [{ '*': { rps: MAX_RPS + 1 } }, /rps must be/],
    [{ GET: { rps: -1 } }, /rps must be/],
    [{ GET: { errorShare: 1.5 } }, /errorShare must be a number from 0 to 1/],
    [{ GET: { errorShare: '1' } }, /errorShare must be/],
    [{ GET: { rsp: 3 } }, /GET.rsp is not a knob/],
    [{ PATCH: { rps: 1 } }, /unknown knob key PATCH/],
    [{ GET: null }, /GET must be an object/],
    [null, /JSON object/],
    [[1], /JSON object/],
  ];
  for (const [patch, reason] of refused) {
    assert.throws(() => applyPatch(knobs, patch), reason, JSON.stringify(patch));
  }
  assert.deepEqual(knobs, base());
});

test('a refused patch changes nothing even when an earlier key of it was valid', () => {
  const knobs = base();
  assert.throws(() => applyPatch(knobs, { '*': { rps: 3 }, GET: { rps: 1e9 } }));
  assert.deepEqual(knobs, base());
});
