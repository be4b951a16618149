import React from 'react';
import { css, cx } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { type BudgetPolicy, type BudgetPolicyState, policyTone } from '../../slo/policy';
import { testIds } from '../testIds';

/**
 * The error-budget policy state of an SLO ("freeze"), coloured by what it asks of the team, with the policy's text
 * on hover and for screen readers; `withText` also prints the text (detail page). Nothing without a state.
 */
export function PolicyChip({
  policy,
  state,
  withText,
}: {
  policy: BudgetPolicy | undefined;
  state: BudgetPolicyState | undefined;
  withText?: boolean;
}) {
  const s = useStyles2(getStyles);
  if (!state) {
    return null;
  }
  const tone = policyTone(policy, state);
  const deploys = state.blocksDeploys ? ' Feature deploys are blocked.' : '';
  return (
    <span className={s.wrap} data-testid={testIds.policy.chip} data-policy-state={state.state}>
      <span
        className={cx(s.chip, s[tone])}
        title={`Error-budget policy: ${state.state}. ${state.text}${deploys}`}
        aria-label={`Error-budget policy: ${state.state}.${deploys}`}
      >
        {state.state}
      </span>
      {withText && <span className={s.text}>{state.text}</span>}
    </span>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ display: 'inline-flex', gap: theme.spacing(1), alignItems: 'baseline', flexWrap: 'wrap' }),
  chip: css({
    padding: theme.spacing(0, 0.75),
    borderRadius: theme.shape.radius.pill,
    fontWeight: theme.typography.fontWeightMedium,
    whiteSpace: 'nowrap',
  }),
  good: css({ background: theme.colors.success.transparent, color: theme.colors.success.text }),
  warn: css({ background: theme.colors.warning.transparent, color: theme.colors.warning.text }),
  bad: css({ background: theme.colors.error.main, color: theme.colors.error.contrastText }),
  text: css({ color: theme.colors.text.secondary }),
});
