import React from 'react';
import { css, cx } from '@emotion/css';
import { dateTimeFormat, GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { firingSeconds, type AlertEpisode } from '../../slo/alertHistory';
import { humanDuration } from '../../slo/duration';
import type { SloAlert } from '../../slo/types';
import { tierLabel } from '../../slo/words';
import { testIds } from '../testIds';

const time = (ms: number) => dateTimeFormat(ms);

/** One episode in words: "fired 14:07:05 (pending since 14:05:05) · resolved 14:14:10 · fired for 7m". */
export function episodeInWords(e: AlertEpisode, toMs: number): string {
  const pending = e.startedBefore
    ? `active since ${time(e.activeAt)}, before this range`
    : `pending ${time(e.activeAt)}`;
  const fired =
    e.firedAt === undefined ? 'never fired (pending only)' : `fired ${e.firedEstimated ? '≈ ' : ''}${time(e.firedAt)}`;
  const end = e.resolvedAt !== undefined ? `resolved ${time(e.resolvedAt)}` : 'still active at the end of the range';
  const secs = firingSeconds(e, toMs);
  const dur =
    secs !== undefined ? ` · firing for ${humanDuration(secs)}${e.resolvedAt === undefined ? ' so far' : ''}` : '';
  return `${pending} · ${fired} · ${end}${dur}`;
}

/**
 * The SLO's alerts that were pending or firing in the range (Prometheus' ALERTS and ALERTS_FOR_STATE), oldest
 * first; `highlight` is the alert the user came from.
 */
export function AlertHistory({
  episodes,
  alerts,
  highlight,
  fromMs,
  toMs,
}: {
  episodes: AlertEpisode[] | undefined;
  alerts: SloAlert[];
  highlight?: string;
  fromMs: number;
  toMs: number;
}) {
  const s = useStyles2(getStyles);
  if (!episodes) {
    return <p className={s.muted}>The alert history could not be read (see the banner above).</p>;
  }
  if (!episodes.length) {
    return (
      <p className={s.muted} data-testid={testIds.detail.alertHistory}>
        No alert of this SLO was pending or firing between {time(fromMs)} and {time(toMs)}
        {highlight ? ` (${highlight} included)` : ''}.
      </p>
    );
  }
  const byName = new Map(alerts.map((a) => [a.name, a]));
  return (
    <ol className={s.list} data-testid={testIds.detail.alertHistory}>
      {episodes.map((e) => {
        const a = byName.get(e.alert);
        return (
          <li
            key={`${e.alert}-${e.activeAt}`}
            className={cx(s.item, e.alert === highlight && s.highlight)}
            data-testid={testIds.detail.alertEpisode}
            data-alert={e.alert}
            data-fired={e.firedAt !== undefined ? 'yes' : 'no'}
            data-resolved={e.resolvedAt !== undefined ? 'yes' : 'no'}
          >
            <span className={s.name}>
              {e.alert}
              {a ? ` (${tierLabel(a)}, ${a.severity || 'no severity'})` : ''}
            </span>
            <span>{episodeInWords(e, toMs)}</span>
          </li>
        );
      })}
    </ol>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({ margin: 0, paddingLeft: theme.spacing(3), fontVariantNumeric: 'tabular-nums' }),
  item: css({
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    padding: theme.spacing(0.5, 1),
    borderRadius: theme.shape.radius.default,
  }),
  highlight: css({
    background: theme.colors.primary.transparent,
    outline: `2px solid ${theme.colors.primary.border}`,
    outlineOffset: -2,
  }),
  name: css({ fontWeight: theme.typography.fontWeightMedium }),
  muted: css({ color: theme.colors.text.secondary, margin: 0 }),
});
