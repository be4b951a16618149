// Property tests (fast-check) for the budget maths and the PromQL helpers: whatever the numbers or label
// values, no NaN reaches the UI, a budget only goes negative when it is really overspent, and the expressions
// we build or take apart keep their meaning.
import fc from 'fast-check';
import { budgetLevel, budgetRemaining, burnRate, errorRatio, timeToExhaustion } from './budget';
import { counterParts, promString, splitTopLevelDivision, stripOuterParens } from './promql';

const objective = fc.double({ min: 0.5, max: 0.99999, noNaN: true });
const ratio = fc.double({ min: 0, max: 1, noNaN: true });
const anyNumber = fc.oneof(fc.double(), fc.constant(NaN), fc.constant(Infinity), fc.constant(-Infinity));

/** PromQL's reading of a double-quoted string literal, for the escapes promString writes. */
function unquote(lit: string): string {
  expect(lit.startsWith('"') && lit.endsWith('"')).toBe(true);
  return lit.slice(1, -1).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

describe('budget maths', () => {
  it('error ratios are in [0, 1] or unknown, never NaN', () => {
    fc.assert(
      fc.property(anyNumber, anyNumber, (bad, valid) => {
        const r = errorRatio(bad, valid);
        expect(r === undefined || (r >= 0 && r <= 1)).toBe(true);
      })
    );
  });

  it('burn rate and remaining budget are finite for any real ratio, and agree with each other', () => {
    fc.assert(
      fc.property(ratio, objective, (r, o) => {
        const burn = burnRate(r, o)!;
        const left = budgetRemaining(r, o)!;
        expect(Number.isFinite(burn) && burn >= 0).toBe(true);
        expect(Number.isFinite(left) && left <= 1).toBe(true);
        // 1 − ratio/budget and burn = ratio/budget: spending the budget exactly is burn 1, 0 left.
        expect(left).toBeCloseTo(1 - burn, 9);
        // Negative exactly when more errors than the budget allows: overspent has a meaning, rounding does not.
        const budget = 1 - o;
        if (r > budget * (1 + 1e-9)) {
          expect(left).toBeLessThan(0);
        } else if (r < budget * (1 - 1e-9)) {
          expect(left).toBeGreaterThan(0);
        }
      })
    );
  });

  it('remaining budget falls as the error ratio rises', () => {
    fc.assert(
      fc.property(ratio, ratio, objective, (a, b, o) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(budgetRemaining(hi, o)!).toBeLessThanOrEqual(budgetRemaining(lo, o)!);
      })
    );
  });

  it('time to exhaustion is never NaN or negative; garbage in gives unknown', () => {
    fc.assert(
      fc.property(anyNumber, anyNumber, fc.integer({ min: 1, max: 400 * 86400 }), (left, burn, period) => {
        const t = timeToExhaustion(Number.isNaN(left) ? undefined : left, burn, period);
        expect(t === undefined || t >= 0).toBe(true);
        expect(Number.isNaN(t)).toBe(false);
      })
    );
  });

  it('every remaining budget maps to a level; unknown only for unknown', () => {
    fc.assert(
      fc.property(fc.option(anyNumber, { nil: undefined }), (left) => {
        const level = budgetLevel(left);
        expect(level === 'unknown').toBe(left === undefined || Number.isNaN(left));
      })
    );
  });
});

describe('PromQL helpers', () => {
  it('promString writes a literal that PromQL reads back as the same text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const lit = promString(s);
        expect(lit.includes('\n')).toBe(false);
        expect(unquote(lit)).toBe(s);
      })
    );
  });

  // Selectors with label values holding "/", parentheses, braces and quotes: only the top-level "/" divides.
  const labelValue = fc.string({ unit: fc.constantFrom(...'ab/()[]{}"\\ 5x'.split('')) });
  const selector = fc
    .tuple(fc.constantFrom('http_requests_total', 'errors_total'), labelValue)
    .map(([m, v]) => `${m}{route=${promString(v)}}`);
  const rateSum = selector.map((sel) => `sum(rate(${sel}[5m]))`);

  it('a generated ratio splits at its one top-level division, whatever its label values hold', () => {
    fc.assert(
      fc.property(rateSum, rateSum, (num, den) => {
        expect(splitTopLevelDivision(`(${num} or vector(0)) / ${den}`)).toEqual([`(${num} or vector(0))`, den]);
        expect(stripOuterParens(`((${num}))`)).toBe(num);
      })
    );
  });

  it('counterParts finds the valid events of both rule forms (bad/valid and 1 − good/valid)', () => {
    fc.assert(
      fc.property(rateSum, rateSum, (a, valid) => {
        expect(counterParts(`(${a} or vector(0)) / ${valid}`)).toEqual({ bad: `${a} or vector(0)`, valid });
        expect(counterParts(`1 - ${a} / ${valid}`)).toEqual({ bad: `(${valid}) - (${a})`, valid });
      })
    );
  });
});
