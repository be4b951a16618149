import React, { useEffect, useRef } from 'react';
import { Link } from 'react-router-dom';
import { css, cx } from '@emotion/css';
import { dateTimeFormat, GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { burnRate, burnThreshold } from '../../slo/budget';
import { humanDuration, parseDuration } from '../../slo/duration';
import { lastEpisode, type AlertEpisode } from '../../slo/alertHistory';
import { allAlerts, lowTraffic, lowTrafficText } from '../../slo/status';
import type { Slo, SloStatus } from '../../slo/types';
import { alertInWords, formatBurn, formatPercent, noDataInWords } from '../../slo/words';
import { testIds } from '../testIds';
import { AlertBadge } from './AlertBadge';
import { episodeInWords } from './AlertHistory';
import { exploreHref, runbookHref } from './links';

/**
 * The SLO's alert rules (every burn tier, then NoData): state and its last episode in the range, what they check in
 * words, burn now on both windows (or "too few events" under the low-traffic guard), how fast a firing alert
 * empties the budget, the expression, and the pinned runbook. `highlight` is the alert the user came from.
 */
export function AlertRules({
  slo,
  status,
  highlight,
  promUid,
  history,
  toMs,
}: {
  slo: Slo;
  status?: SloStatus;
  highlight?: string;
  promUid: string;
  /** Episodes of the chart range (undefined until loaded). */
  history?: AlertEpisode[];
  toMs?: number;
}) {
  const s = useStyles2(getStyles);
  const ref = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView?.({ block: 'center' });
    ref.current?.focus();
  }, [highlight]);
  const alerts = allAlerts(slo);
  if (!alerts.length) {
    return <p className={s.muted}>No burn-rate alert rules carry this SLO&apos;s label.</p>;
  }
  return (
    <table className={s.table}>
      <thead>
        <tr>
          <th scope="col">Alert</th>
          <th scope="col">State</th>
          <th scope="col">What it checks</th>
          <th scope="col">Burn now (long / short)</th>
          <th scope="col">Runbook</th>
        </tr>
      </thead>
      <tbody>
        {alerts.map((a) => {
          const isHl = highlight === a.name;
          const rb = runbookHref(a.runbookUrl);
          const burn = a.kind === 'burn';
          const long = burnRate(status?.ratios[a.longWindow], slo.objective);
          const short = burnRate(status?.ratios[a.shortWindow], slo.objective);
          const longSeconds = burn ? parseDuration(a.longWindow) : undefined;
          const low = burn ? lowTraffic(slo, status, a.longWindow) : undefined;
          const last = lastEpisode(history, a.name);
          return (
            <tr
              key={`${a.name}-${a.severity}`}
              ref={isHl ? ref : undefined}
              tabIndex={isHl ? -1 : undefined}
              className={cx(isHl && s.highlight)}
              data-testid={isHl ? testIds.detail.highlighted : testIds.detail.alertRow(a.name)}
              aria-current={isHl ? 'true' : undefined}
            >
              <td>
                <div className={s.name}>{a.name}</div>
                <div className={s.muted}>
                  {burn
                    ? `${a.severity} · threshold ${formatPercent(burnThreshold(a.burnRate, slo.objective))}`
                    : `${a.severity} · signal lost`}
                </div>
              </td>
              <td>
                <AlertBadge state={a.state} />
                {a.activeAt && a.state !== 'inactive' && (
                  <div className={s.muted}>since {dateTimeFormat(a.activeAt)}</div>
                )}
                {last && toMs !== undefined && (
                  <div className={s.muted} data-testid={isHl ? testIds.detail.highlightedHistory : undefined}>
                    last in this range: {episodeInWords(last, toMs)}
                  </div>
                )}
                {a.health === 'err' && <div className={s.error}>rule error: {a.lastError}</div>}
              </td>
              <td>
                <div>{burn ? alertInWords(a, slo) : noDataInWords(a)}</div>
                {longSeconds !== undefined && (
                  <div className={s.muted}>
                    While firing, the whole budget would be gone in {humanDuration(slo.windowSeconds / a.burnRate)}.
                  </div>
                )}
                <details className={s.details}>
                  <summary>PromQL</summary>
                  <pre className={s.pre}>{a.expr}</pre>
                  <a href={exploreHref(promUid, a.expr)} data-testid={testIds.detail.explore}>
                    Open in Explore
                  </a>
                </details>
              </td>
              <td className={s.num}>
                {!burn ? '—' : low ? lowTrafficText(low) : `${formatBurn(long)} / ${formatBurn(short)}`}
                {burn && (
                  <div className={s.muted}>
                    {a.longWindow} / {a.shortWindow}, fires at {formatBurn(a.burnRate)}
                  </div>
                )}
              </td>
              <td>
                {rb ? (
                  rb.internal ? (
                    <Link to={rb.href} data-testid={testIds.detail.runbookLink} className={s.link}>
                      Open runbook
                    </Link>
                  ) : (
                    <a
                      href={rb.href}
                      data-testid={testIds.detail.runbookLink}
                      className={s.link}
                      target="_blank"
                      rel="noreferrer"
                    >
                      Open runbook
                    </a>
                  )
                ) : (
                  <span className={s.error}>no runbook_url</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    'th, td': {
      textAlign: 'left',
      verticalAlign: 'top',
      padding: theme.spacing(1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
    },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
  highlight: css({
    background: theme.colors.primary.transparent,
    outline: `2px solid ${theme.colors.primary.border}`,
    outlineOffset: -2,
  }),
  name: css({ fontWeight: theme.typography.fontWeightMedium }),
  muted: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  error: css({ color: theme.colors.error.text }),
  num: css({ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }),
  details: css({ marginTop: theme.spacing(0.5), summary: { cursor: 'pointer', color: theme.colors.text.link } }),
  pre: css({ whiteSpace: 'pre-wrap', fontSize: theme.typography.bodySmall.fontSize, margin: theme.spacing(0.5, 0) }),
  link: css({ color: theme.colors.text.link, fontWeight: theme.typography.fontWeightMedium }),
});
