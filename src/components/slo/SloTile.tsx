import React from 'react';
import { Link } from 'react-router-dom';
import { css, cx } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { burnThreshold } from '../../slo/budget';
import { humanDuration } from '../../slo/duration';
import { allAlerts, lowTrafficText, type LowTraffic, type SloView } from '../../slo/status';
import { formatBurn, formatPercent, formatSli, objectiveInWords, tierLabel } from '../../slo/words';
import { CorrectedBudget } from './CorrectedBudget';
import { testIds } from '../testIds';
import { AlertBadge } from './AlertBadge';
import { BudgetGauge } from './BudgetGauge';
import { PolicyChip } from './PolicyChip';
import { WALL_TYPE, wallPx } from './wallType';
import { runbookHref, sloPath } from './links';

/**
 * One SLO on the overview: gauge, SLI vs objective, burn now (or "too few events" under the low-traffic guard),
 * the state of every alert tier, a firing NoData alert in words, the runbook. Fixed height: no jumps.
 */
export function SloTile({
  view,
  kiosk,
  wallUnit,
}: {
  view: SloView;
  kiosk?: boolean;
  /** Wall size: pixels per wall unit (wallType.ts); sizes the type for a room instead of a desk. */
  wallUnit?: number;
}) {
  const u = kiosk && wallUnit ? wallUnit : undefined;
  const s = useStyles2(getStyles);
  const { slo } = view;
  const alerts = allAlerts(slo);
  const firing = alerts.find((a) => a.state === 'firing') ?? alerts.find((a) => a.state !== 'inactive');
  const runbook = runbookHref((firing ?? slo.alerts[0])?.runbookUrl);
  const fast = slo.alerts.find((a) => a.longWindow === '1h') ?? slo.alerts.find((a) => a.burnRate >= 10);
  const slow = slo.alerts.find((a) => a.longWindow === '6h') ?? slo.alerts.find((a) => a.burnRate < 10);
  const burnClass = (burn: number | undefined, rate: number | undefined) =>
    burn !== undefined && rate !== undefined && burn >= rate ? s.hot : undefined;
  // Each long window with the short one behind its alert: a red 1 h burn next to "fast: inactive" is explained by a
  // calm 5 m window.
  const burnCell = (
    burn: number | undefined,
    tier: (typeof slo.alerts)[number] | undefined,
    low: LowTraffic | undefined
  ) =>
    low ? (
      <dd className={s.low} data-testid={testIds.overview.lowTraffic}>
        {lowTrafficText(low)}
      </dd>
    ) : (
      <dd data-testid={testIds.overview.burn}>
        <span className={burnClass(burn, tier?.burnRate)}>{formatBurn(burn)}</span>
        {tier && (
          <span
            className={cx(s.shortWindow, burnClass(view.burns[tier.shortWindow], tier.burnRate))}
            title={`${tier.tier} fires when both ${tier.longWindow} and ${tier.shortWindow} exceed ${tier.burnRate}×`}
          >
            {' '}
            · {tier.shortWindow} {formatBurn(view.burns[tier.shortWindow])}
          </span>
        )}
      </dd>
    );
  return (
    <article
      className={cx(s.tile, kiosk && s.kioskTile, view.worstAlert === 'firing' && s.firing)}
      style={u ? { fontSize: wallPx(u, WALL_TYPE.rows), padding: wallPx(u, 2) } : undefined}
      data-no-data={view.noDataFiring ? 'firing' : undefined}
      data-attention={view.attention.level}
      data-testid={testIds.overview.tile(slo.id)}
      aria-label={`${slo.title}: ${formatPercent(view.remaining, 1)} of the rolling ${slo.windowLabel} error budget left`}
    >
      <header className={s.header}>
        <Link
          to={sloPath(slo.id)}
          className={s.title}
          style={u ? { fontSize: wallPx(u, WALL_TYPE.title) } : undefined}
          data-testid={testIds.overview.title}
        >
          {slo.title}
        </Link>
        <span className={s.objective}>{objectiveInWords(slo)}</span>
      </header>
      {view.attention.reason && view.attention.level !== view.level && (
        <div
          className={s.attention}
          data-testid={testIds.overview.attention}
          data-level={view.attention.level}
          title={view.attention.detail}
        >
          {view.attention.reason}
        </div>
      )}
      {view.noDataFiring && (
        <div className={s.noData} role="alert" data-testid={testIds.overview.noData}>
          no data — target down or SLI absent
        </div>
      )}
      <div className={cx(s.body, kiosk && s.kioskBody)}>
        <BudgetGauge
          remaining={view.remaining}
          size={u ? wallPx(u, WALL_TYPE.gauge) : kiosk ? 200 : 132}
          label={slo.title}
          asOf={view.budgetAsOf}
          level={view.attention.level}
          window={slo.windowLabel}
        />
        <dl className={s.numbers}>
          <dt>SLI {slo.windowLabel}</dt>
          <dd className={view.sli !== undefined && view.sli < slo.objective ? s.hot : undefined}>
            {view.noTraffic ? 'no traffic' : formatSli(view.sli)}
          </dd>
          <dt>Burn 1h</dt>
          {burnCell(view.burn1h, fast, view.lowTraffic1h)}
          <dt>Burn 6h</dt>
          {burnCell(view.burn6h, slow, view.lowTraffic6h)}
          <dt>
            Budget gone in
            {view.exhaustionBasis && (
              <span className={s.basis} title={`Assuming the ${view.exhaustionBasis} burn rate holds`}>
                {' '}
                ({view.exhaustionBasis})
              </span>
            )}
          </dt>
          <dd>
            {view.remaining !== undefined && view.remaining <= 0 ? 'spent' : humanDuration(view.exhaustionSeconds)}
          </dd>
          <CorrectedBudget view={view} />
          {view.policy && (
            <>
              <dt>Policy</dt>
              <dd>
                <PolicyChip policy={slo.budgetPolicy} state={view.policy} />
              </dd>
            </>
          )}
        </dl>
      </div>
      <footer className={s.footer}>
        {slo.alerts.length === 0 && <span className={s.muted}>no burn-rate alerts</span>}
        {alerts.map((a) => (
          <span
            key={`${a.name}-${a.severity}`}
            title={
              a.kind === 'no-data'
                ? `${a.name}: the SLI's target is down or its series are absent`
                : `${a.name}: > ${formatPercent(burnThreshold(a.burnRate, slo.objective))} over ${a.longWindow} and ${a.shortWindow}`
            }
          >
            <AlertBadge
              state={a.state}
              label={tierLabel(a)}
              large={kiosk}
              fontPx={u ? wallPx(u, WALL_TYPE.chip) : undefined}
            />
          </span>
        ))}
        <span className={s.spacer} />
        {runbook &&
          (runbook.internal ? (
            <Link className={s.link} to={runbook.href}>
              Runbook
            </Link>
          ) : (
            <a className={s.link} href={runbook.href} target="_blank" rel="noreferrer">
              Runbook
            </a>
          ))}
      </footer>
      {view.noData && <div className={s.muted}>No data from Prometheus for this SLO yet.</div>}
    </article>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  shortWindow: css({ fontSize: '0.8em', color: theme.colors.text.secondary }),
  basis: css({ fontSize: '0.8em', color: theme.colors.text.secondary }),
  attention: css({ fontWeight: theme.typography.fontWeightMedium, color: theme.colors.warning.text }),
  tile: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    padding: theme.spacing(2),
    minHeight: 260,
    // A wall of 1000 tiles: those off screen are not laid out or painted until scrolled to.
    contentVisibility: 'auto',
    containIntrinsicSize: 'auto 260px',
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
  kioskTile: css({ minHeight: 360, padding: theme.spacing(3), fontSize: theme.typography.h4.fontSize }),
  // Wall: the gauge and numbers take the height the tile is given (the wall fills the screen), centred.
  kioskBody: css({ flex: 1, justifyContent: 'space-evenly' }),
  firing: css({ borderColor: theme.colors.error.border, boxShadow: `inset 4px 0 0 ${theme.colors.error.main}` }),
  header: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.25) }),
  title: css({
    fontSize: '1.25em',
    fontWeight: theme.typography.fontWeightMedium,
    color: theme.colors.text.primary,
    '&:hover, &:focus-visible': { textDecoration: 'underline' },
  }),
  objective: css({ color: theme.colors.text.secondary, fontSize: '0.9em' }),
  body: css({ display: 'flex', gap: theme.spacing(2), alignItems: 'center', flexWrap: 'wrap' }),
  numbers: css({
    display: 'grid',
    gridTemplateColumns: 'auto auto',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: 0,
    fontVariantNumeric: 'tabular-nums',
    dt: { color: theme.colors.text.secondary, fontWeight: 'normal' },
    dd: { margin: 0, textAlign: 'right', fontWeight: theme.typography.fontWeightMedium, minWidth: '6ch' },
  }),
  hot: css({ color: theme.colors.error.text }),
  low: css({
    color: theme.colors.text.secondary,
    fontSize: '0.85em',
    maxWidth: '22ch',
  }),
  noData: css({
    padding: theme.spacing(0.5, 1),
    borderRadius: theme.shape.radius.default,
    background: theme.colors.error.main,
    color: theme.colors.error.contrastText,
    fontWeight: theme.typography.fontWeightMedium,
  }),
  footer: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'center', flexWrap: 'wrap', marginTop: 'auto' }),
  spacer: css({ flex: 1 }),
  link: css({ color: theme.colors.text.link, '&:hover, &:focus-visible': { textDecoration: 'underline' } }),
  muted: css({ color: theme.colors.text.secondary }),
});
