import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import type { BacktestResult } from '../../api/backtest';
import { percent as pct, signedDuration as offset } from '../../slo/backtest';
import { humanDuration, toPromDuration } from '../../slo/duration';
import { exploreHref } from './links';

const when = (t: number) => new Date(t * 1000).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

/** The numbers of one backtest: per tier alerts, precision, recall; per incident detection and reset per tier. */
export function BacktestReport({ result, promUid }: { result: BacktestResult; promUid?: string }) {
  const s = useStyles2(getStyles);
  const r = result;
  const budget = (bad: number, windowValid: number) => pct(bad / ((1 - r.objective) * windowValid), 1);
  return (
    <div data-testid="backtest-report">
      <p className={s.note}>
        {r.whatIf
          ? `What-if: objective ${pct(r.objective, 2)} (deployed ${pct(r.deployedObjective, 2)}), tiers ${r.tiers
              .map((t) => t.tier)
              .join(', ')}.`
          : `The deployed alert rules, objective ${pct(r.objective, 2)}.`}{' '}
        {r.incidents.length} incident{r.incidents.length === 1 ? '' : 's'}{' '}
        {r.incidentSource === 'data'
          ? 'read from the data (periods that burned the budget faster than the even pace)'
          : 'given as ground truth'}
        ; recall counts those that used at least {pct(r.minShare, 1)} of the budget.
      </p>
      <table className={s.table} aria-label="Backtest by tier">
        <thead>
          <tr>
            <th>Tier</th>
            <th>Burn</th>
            <th>Windows</th>
            <th>for</th>
            <th>Guard</th>
            <th>Alerts</th>
            <th>Precision</th>
            <th>Recall</th>
          </tr>
        </thead>
        <tbody>
          {r.tiers.map((t) => (
            <tr key={t.tier} data-testid={`backtest-tier-${t.tier}`}>
              <td>{t.tier}</td>
              <td>{t.burnRate}×</td>
              <td>
                {toPromDuration(t.longSeconds)} + {toPromDuration(t.shortSeconds)}
              </td>
              <td>{t.forSeconds ? toPromDuration(t.forSeconds) : '0s'}</td>
              <td>{t.minEvents ? `≥ ${t.minEvents} events` : 'none'}</td>
              <td>{t.alerts.length}</td>
              <td>{pct(t.precision)}</td>
              <td>{pct(t.recall)}</td>
            </tr>
          ))}
          <tr className={s.total}>
            <td colSpan={5}>Policy (any tier)</td>
            <td>{r.policy.alerts}</td>
            <td>{pct(r.policy.precision)}</td>
            <td>{pct(r.policy.recall)}</td>
          </tr>
        </tbody>
      </table>
      {r.incidents.length > 0 && (
        <table className={s.table} aria-label="Backtest by incident">
          <thead>
            <tr>
              <th>Incident</th>
              <th>Duration</th>
              <th>Budget used</th>
              {r.tiers.map((t) => (
                <th key={t.tier}>{t.tier}: detection / reset</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {r.incidents.map((i, k) => (
              <tr key={i.id} data-testid="backtest-incident">
                <td>{i.title ?? when(i.start)}</td>
                <td>{humanDuration(i.end - i.start)}</td>
                <td>{budget(i.bad, i.windowValid)}</td>
                {r.tiers.map((t) => {
                  const o = t.incidents[k];
                  return (
                    <td key={t.tier}>
                      {o.alerts ? `${offset(o.detectionSeconds)} / ${offset(o.resetSeconds)}` : 'no alert'}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {r.tiers.map((t) => {
        // One expression per kind of segment: `<tier>@history` (widened windows) and `<tier>@live` (exact).
        const exprs = Object.entries(r.queries).flatMap(([key, expr]) => {
          const [tier, part] = key.split('@');
          const seg = r.segments.find((g) => !part || (part === 'history') === g.pad > 0);
          return tier === t.tier && seg ? [{ part, expr, seg }] : [];
        });
        return (
          <details key={t.tier} className={s.alerts} data-testid={`backtest-alerts-${t.tier}`}>
            <summary>
              {t.tier}: {t.alerts.length} alert{t.alerts.length === 1 ? '' : 's'} and the replayed expression
            </summary>
            <ul>
              {t.alerts.map((a) => (
                <li key={a.start}>
                  fired {when(a.start)}
                  {a.end === undefined ? ', still firing' : `, resolved after ${humanDuration(a.end - a.start)}`}
                </li>
              ))}
            </ul>
            {exprs.map(({ part, expr, seg }) => (
              <div key={part ?? 'all'}>
                {part && (
                  <p className={s.note}>{part === 'history' ? 'Over the 5-minute history:' : 'Over live data:'}</p>
                )}
                <pre className={s.expr}>{expr}</pre>
                {promUid && (
                  <a href={exploreHref(promUid, expr, String(seg.from * 1000), String(seg.to * 1000))}>
                    Open in Explore
                  </a>
                )}
              </div>
            ))}
          </details>
        );
      })}
      {r.tiers.some((t) => t.alerts.length > t.matched) && (
        <p className={s.note} data-testid="backtest-stray">
          Alerts outside any incident:{' '}
          {r.tiers
            .filter((t) => t.alerts.length > t.matched)
            .map((t) => `${t.tier} ${t.alerts.length - t.matched}`)
            .join(', ')}
          .
        </p>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  note: css({ color: theme.colors.text.secondary, margin: theme.spacing(1, 0) }),
  table: css({
    borderCollapse: 'collapse',
    marginBottom: theme.spacing(2),
    fontVariantNumeric: 'tabular-nums',
    'th, td': {
      textAlign: 'left',
      padding: theme.spacing(0.5, 1.5, 0.5, 0),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
    },
  }),
  total: css({ fontWeight: theme.typography.fontWeightMedium }),
  alerts: css({ margin: theme.spacing(0.5, 0) }),
  expr: css({ whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: theme.typography.bodySmall.fontSize }),
});
