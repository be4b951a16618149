import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import type { EpisodeKind, EpisodeView } from '../../panels/topology/episodes';
import { testIds } from '../testIds';

/** Keeps the section readable on a busy day; the charts still mark every episode. */
export const MAX_EPISODES_LISTED = 20;

const KIND_WORDS: Record<EpisodeKind, string> = {
  failover: 'failover',
  switchover: 'switchover',
  'primary kept': 'primary kept',
  'no primary': 'no primary',
  'in progress': 'under way',
  other: 'event',
};

function kindColor(theme: GrafanaTheme2, kind: EpisodeKind) {
  switch (kind) {
    case 'failover':
      return theme.colors.warning;
    case 'no primary':
    case 'in progress':
      return theme.colors.error;
    case 'switchover':
      return theme.colors.info;
    default:
      return theme.colors.secondary;
  }
}

const clock = (ms: number) =>
  new Date(ms).toLocaleTimeString(undefined, {
    hour12: false,
    fractionalSecondDigits: 1,
  } as Intl.DateTimeFormatOptions);

/**
 * Formation episodes, newest first: what happened in one line (who is primary now, how long writes were
 * impossible), the monitor's raw events one click away.
 */
export function FormationEpisodes({ episodes }: { episodes: EpisodeView[] }) {
  const s = useStyles2(getStyles);
  const listed = episodes.slice(-MAX_EPISODES_LISTED).reverse();
  return (
    <>
      {episodes.length > listed.length && (
        <p className={s.more}>
          The latest {listed.length} of {episodes.length} episodes.
        </p>
      )}
      <ol className={s.list}>
        {listed.map((e) => (
          <li
            key={`${e.start}-${e.eventCount}`}
            className={s.item}
            data-testid={testIds.detail.episode}
            data-kind={e.kind}
          >
            <div className={s.head}>
              <time className={s.time} dateTime={new Date(e.start).toISOString()}>
                {new Date(e.start).toLocaleString()}
              </time>
              <KindBadge kind={e.kind} />
              <strong>{e.title}</strong>
            </div>
            {e.detail && <div className={s.detail}>{e.detail}</div>}
            {e.events.length > 0 ? (
              <details className={s.raw}>
                <summary>
                  {e.eventCount} monitor event{e.eventCount === 1 ? '' : 's'}
                </summary>
                <ol className={s.events}>
                  {e.events.map((ev, i) => (
                    <li key={i}>
                      <time>{clock(ev.time)}</time> {ev.node ? `${ev.node}: ` : ''}
                      {ev.description}
                    </li>
                  ))}
                </ol>
              </details>
            ) : (
              <div className={s.raw}>
                {e.eventCount} monitor event{e.eventCount === 1 ? '' : 's'}
              </div>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}

function KindBadge({ kind }: { kind: EpisodeKind }) {
  const s = useStyles2(getStyles);
  const theme = useTheme2();
  const c = kindColor(theme, kind);
  return (
    <span className={s.badge} style={{ background: c.transparent, color: c.text, borderColor: c.border }}>
      {KIND_WORDS[kind]}
    </span>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({ listStyle: 'none', margin: 0, padding: 0 }),
  more: css({ color: theme.colors.text.secondary, margin: theme.spacing(0, 0, 1) }),
  item: css({
    padding: theme.spacing(1, 0),
    borderBottom: `1px solid ${theme.colors.border.weak}`,
    '&:last-child': { borderBottom: 'none' },
  }),
  head: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', gap: theme.spacing(1) }),
  time: css({ color: theme.colors.text.secondary, fontVariantNumeric: 'tabular-nums' }),
  badge: css({
    display: 'inline-block',
    padding: theme.spacing(0, 1),
    borderRadius: theme.shape.radius.pill,
    border: '1px solid',
    fontSize: theme.typography.bodySmall.fontSize,
    fontWeight: theme.typography.fontWeightMedium,
    whiteSpace: 'nowrap',
  }),
  detail: css({ color: theme.colors.text.secondary, marginTop: theme.spacing(0.5) }),
  raw: css({
    marginTop: theme.spacing(0.5),
    fontSize: theme.typography.bodySmall.fontSize,
    summary: { cursor: 'pointer', color: theme.colors.text.link, width: 'fit-content' },
  }),
  events: css({ margin: theme.spacing(0.5, 0, 0), paddingLeft: theme.spacing(3), color: theme.colors.text.secondary }),
});
