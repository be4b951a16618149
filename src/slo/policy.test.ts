import fc from 'fast-check';
import { type BudgetPolicy, encodePolicy, parsePolicy, policyProblems, policyState, policyTone } from './policy';

const policy: BudgetPolicy = [
  { state: 'ok', minBudgetLeft: 0.5, text: 'Ship as usual.' },
  { state: 'caution', minBudgetLeft: 0.2, text: 'Ship with a rollback plan.' },
  { state: 'freeze', blocksDeploys: true, text: 'Only fixes ship.' },
];

describe('policyState', () => {
  test.each([
    [1, 'ok'],
    [0.5, 'ok'], // at the threshold: that state
    [0.4999, 'caution'],
    [0.2, 'caution'],
    [0.19, 'freeze'],
    [0, 'freeze'],
    [-3, 'freeze'], // overspent
  ])('budget left %p → %s', (left, state) => {
    expect(policyState(policy, left)?.state).toBe(state);
  });

  test('no verdict without a budget or a policy', () => {
    expect(policyState(policy, undefined)).toBeUndefined();
    expect(policyState(policy, NaN)).toBeUndefined();
    expect(policyState(undefined, 0.3)).toBeUndefined();
    expect(policyState([], 0.3)).toBeUndefined();
  });

  test('any finite budget of a valid policy gets exactly the first state it reaches', () => {
    fc.assert(
      fc.property(fc.double({ min: -100, max: 1, noNaN: true }), (left) => {
        const s = policyState(policy, left)!;
        const i = policy.indexOf(s);
        expect(s.minBudgetLeft === undefined || left >= s.minBudgetLeft).toBe(true);
        expect(policy.slice(0, i).every((p) => left < p.minBudgetLeft!)).toBe(true);
      })
    );
  });
});

describe('policyProblems', () => {
  test('a valid policy has none', () => {
    expect(policyProblems(policy, 'budgetPolicy')).toEqual([]);
  });

  test('each mistake is named by its field', () => {
    expect(
      policyProblems(
        [
          { state: 'ok', minBudgetLeft: 0.2, text: 'a' },
          { state: 'ok', minBudgetLeft: 0.5, text: 'b' },
          { state: 'x', text: 'c' },
          { state: 'y', minBudgetLeft: 0, text: 'd' },
        ],
        'budgetPolicy'
      )
    ).toEqual([
      'budgetPolicy[1].state: "ok" is used twice',
      'budgetPolicy[1].minBudgetLeft: must be below the state before it (0.2): states go from most to least budget',
      'budgetPolicy[2].minBudgetLeft: is required except on the last state',
      'budgetPolicy[3].minBudgetLeft: the last state catches the rest and has none',
    ]);
  });
});

describe('the annotation', () => {
  test('encodes and reads back the same policy', () => {
    expect(parsePolicy(encodePolicy(policy))).toEqual(policy);
  });

  test('anything else reads as no policy, never a crash', () => {
    for (const v of [
      undefined,
      '',
      'not json',
      '{}',
      '[]',
      '[1]',
      '[{"state":"ok"}]',
      '[{"state":"ok","minBudgetLeft":0.5,"text":"a"}]',
    ]) {
      expect(parsePolicy(v)).toBeUndefined();
    }
  });
});

test('tone: the first state good, a state that blocks deploys bad, the rest warn', () => {
  expect(policy.map((s) => policyTone(policy, s))).toEqual(['good', 'warn', 'bad']);
});
