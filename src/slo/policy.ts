/**
 * The error-budget policy: what a team does as an SLO's budget runs out (the SRE workbook's "error budget policy").
 * Written in the spec (`budgetPolicy`, shared, or per SLO), carried to the app in the `slo_budget_policy` annotation
 * of the SLO's burn alerts (the rules API is the app's only source, DESIGN.md), read by the tiles, the detail page,
 * the report and the deploy gate (`npm run budget -- gate`). Pure.
 */

/** One state of the policy, e.g. { state: 'freeze', blocksDeploys: true, text: 'Only fixes ship.' }. */
export interface BudgetPolicyState {
  /** Short name shown on the tile: ok, caution, freeze, … */
  state: string;
  /**
   * This state applies while the budget left (1 = untouched, 0 = spent, below 0 = overspent) is at least this; the
   * last state has none and catches the rest.
   */
  minBudgetLeft?: number;
  /** What the team does in this state, in its own words. */
  text: string;
  /** The deploy gate refuses feature deploys in this state. */
  blocksDeploys?: boolean;
}

export type BudgetPolicy = BudgetPolicyState[];

/** The alert annotation that carries the SLO's policy as JSON. */
export const POLICY_ANNOTATION = 'slo_budget_policy';

/** Problems of a policy, each naming the field under `at` (empty: valid). */
export function policyProblems(policy: BudgetPolicy, at: string): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  policy.forEach((s, i) => {
    const field = `${at}[${i}]`;
    if (names.has(s.state)) {
      problems.push(`${field}.state: "${s.state}" is used twice`);
    }
    names.add(s.state);
    const last = i === policy.length - 1;
    if (last && s.minBudgetLeft !== undefined) {
      problems.push(`${field}.minBudgetLeft: the last state catches the rest and has none`);
    }
    if (!last && s.minBudgetLeft === undefined) {
      problems.push(`${field}.minBudgetLeft: is required except on the last state`);
    }
    if (s.minBudgetLeft !== undefined && !Number.isFinite(s.minBudgetLeft)) {
      problems.push(`${field}.minBudgetLeft: must be a finite number (got ${s.minBudgetLeft})`);
    }
    const prev = policy[i - 1]?.minBudgetLeft;
    if (i > 0 && s.minBudgetLeft !== undefined && prev !== undefined && !(s.minBudgetLeft < prev)) {
      problems.push(
        `${field}.minBudgetLeft: must be below the state before it (${prev}): states go from most to least budget`
      );
    }
  });
  return problems;
}

/** The annotation value: compact JSON, fields in a fixed order. */
export function encodePolicy(policy: BudgetPolicy): string {
  return JSON.stringify(
    policy.map((s) => ({
      state: s.state,
      ...(s.minBudgetLeft !== undefined ? { minBudgetLeft: s.minBudgetLeft } : {}),
      text: s.text,
      ...(s.blocksDeploys ? { blocksDeploys: true } : {}),
    }))
  );
}

/** A rule annotation holding a non-empty JSON list (policy, recurring corrections); undefined for anything else. */
export function jsonListAnnotation(value: string | undefined): unknown[] | undefined {
  if (!value) {
    return undefined;
  }
  try {
    const raw: unknown = JSON.parse(value);
    return Array.isArray(raw) && raw.length ? raw : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the annotation back; undefined for anything that is not a valid policy (a hand-edited rule, say). */
export function parsePolicy(value: string | undefined): BudgetPolicy | undefined {
  const raw = jsonListAnnotation(value);
  if (!raw) {
    return undefined;
  }
  const policy: BudgetPolicy = [];
  for (const s of raw as Array<Record<string, unknown>>) {
    if (
      typeof s !== 'object' ||
      s === null ||
      typeof s.state !== 'string' ||
      typeof s.text !== 'string' ||
      (s.minBudgetLeft !== undefined && typeof s.minBudgetLeft !== 'number') ||
      (s.blocksDeploys !== undefined && typeof s.blocksDeploys !== 'boolean')
    ) {
      return undefined;
    }
    policy.push({
      state: s.state,
      text: s.text,
      ...(s.minBudgetLeft !== undefined ? { minBudgetLeft: s.minBudgetLeft as number } : {}),
      ...(s.blocksDeploys ? { blocksDeploys: true } : {}),
    });
  }
  return policyProblems(policy, 'policy').length === 0 ? policy : undefined;
}

/**
 * The state that applies at `budgetLeft` (a fraction: 0.3 = 30 % left, negative = overspent): the first whose
 * minBudgetLeft it reaches. Undefined without a policy or without a budget (no traffic, no data): the gate and the
 * tiles say so rather than guess.
 */
export function policyState(
  policy: BudgetPolicy | undefined,
  budgetLeft: number | undefined
): BudgetPolicyState | undefined {
  if (!policy?.length || budgetLeft === undefined || !Number.isFinite(budgetLeft)) {
    return undefined;
  }
  return policy.find((s) => s.minBudgetLeft === undefined || budgetLeft >= s.minBudgetLeft);
}

/** How a state reads at a glance: the policy's first state is good, a state that blocks deploys bad, others warn. */
export function policyTone(policy: BudgetPolicy | undefined, state: BudgetPolicyState): 'good' | 'warn' | 'bad' {
  if (state.blocksDeploys) {
    return 'bad';
  }
  return policy?.[0]?.state === state.state ? 'good' : 'warn';
}
