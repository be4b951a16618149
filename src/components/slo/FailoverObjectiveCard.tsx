import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import type { FailoverObjectiveView } from '../../slo/failoverObjective';
import { formatPercent } from '../../slo/words';
import { testIds } from '../testIds';

const when = (ms: number) =>
  new Date(ms).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const secs = (s?: number) => (s === undefined ? 'no writable primary' : `writable after ${s.toFixed(1)} s`);

/**
 * Failover measured as an objective ("95 % of failovers writable within 30 s"), as the PG HA data source judged
 * the failovers of the range: met or missed, each failover with its time to writable, and the worst one.
 */
export function FailoverObjectiveCard({ view, rangeLabel }: { view: FailoverObjectiveView; rangeLabel: string }) {
  const s = useStyles2(getStyles);
  const state = view.failovers === 0 ? 'none' : view.meets ? 'met' : 'missed';
  return (
    <section
      className={s.card}
      aria-label="Failover objective"
      data-testid={testIds.topology.objective}
      data-state={state}
    >
      <h3 className={s.h3}>
        Failover objective: {formatPercent(view.objective, 1)} of failovers writable within {view.writableWithinSeconds}{' '}
        s<span className={s.muted}> · {rangeLabel}</span>
      </h3>
      <p className={state === 'missed' ? s.missed : s.met}>
        {state === 'none'
          ? `No failover ${rangeLabel}: nothing to judge.`
          : `${state === 'met' ? 'Met' : 'Missed'}: ${view.met} of ${view.failovers} failovers within ${view.writableWithinSeconds} s (${formatPercent(view.ratio, 1)})`}
        {view.pending > 0 && <span className={s.muted}> · {view.pending} under way</span>}
      </p>
      {view.worst && (
        <p data-testid={testIds.topology.objectiveWorst}>
          Worst: {view.worst.title}, {when(view.worst.time)}, {secs(view.worst.writableAfterSeconds)}
        </p>
      )}
      {view.judged.length > 0 && (
        <ul className={s.list}>
          {view.judged.map((j) => (
            <li key={`${j.time}-${j.title}`} data-verdict={j.verdict}>
              <span className={j.verdict === 'missed' ? s.missed : j.verdict === 'met' ? s.met : s.muted}>
                {j.verdict}
              </span>{' '}
              {when(j.time)} · {j.title} · {secs(j.writableAfterSeconds)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  card: css({
    padding: theme.spacing(2),
    marginBottom: theme.spacing(2),
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
  h3: css({ fontSize: theme.typography.h4.fontSize }),
  muted: css({ color: theme.colors.text.secondary, fontWeight: 'normal' }),
  met: css({ color: theme.colors.success.text, fontWeight: theme.typography.fontWeightMedium }),
  missed: css({ color: theme.colors.error.text, fontWeight: theme.typography.fontWeightMedium }),
  list: css({ listStyle: 'none', padding: 0, margin: 0, fontVariantNumeric: 'tabular-nums' }),
});
