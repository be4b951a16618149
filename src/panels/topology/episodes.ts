import { DataFrame } from '@grafana/data';
import { EPISODE, EVENT, FRAME } from './fields';
import { frameNamed, rows } from './frames';
import type { EventView } from './model';

// The episodes query's frame, read strictly: pkg/pgha folds the monitor's events into episodes (a hard failover is
// ~20 rows; one episode says "Failover: node2 → node1, node1 writable after 7.5 s"). The raw events of each episode
// are joined from an events frame by event id, for the "N monitor events" list under it.

/** pkg/pgha EpisodeKind. */
export type EpisodeKind = 'failover' | 'switchover' | 'primary kept' | 'no primary' | 'in progress' | 'other';

const KINDS: EpisodeKind[] = ['failover', 'switchover', 'primary kept', 'no primary', 'in progress', 'other'];

export interface EpisodeView {
  kind: EpisodeKind;
  /** ms, first and last event */
  start: number;
  end: number;
  title: string;
  detail: string;
  primaryBefore?: string;
  primaryAfter?: string;
  writableAfterSeconds?: number;
  settled: boolean;
  /** How many monitor events the episode folds. */
  eventCount: number;
  /** Those events, oldest first, when the events frame had them. */
  events: EventView[];
}

/** Episodes (oldest first) from the `episodes` frame, with their events from the `events` frame if given. */
export function readEpisodes(series: DataFrame[]): EpisodeView[] {
  const episodes = frameNamed(series, FRAME.episodes);
  if (!episodes) {
    return [];
  }
  const eventsFrame = frameNamed(series, FRAME.events);
  const events = eventsFrame
    ? rows(eventsFrame).map((r) => ({
        id: r.num(EVENT.eventId),
        view: {
          time: r.time(EVENT.time) ?? NaN,
          node: r.str(EVENT.node),
          from: r.str(EVENT.from),
          to: r.str(EVENT.to),
          description: r.str(EVENT.description),
        },
      }))
    : [];
  const out: EpisodeView[] = [];
  for (const r of rows(episodes)) {
    const start = r.time(EPISODE.time);
    const kind = r.str(EPISODE.kind) as EpisodeKind;
    if (start === undefined || !KINDS.includes(kind)) {
      continue;
    }
    const first = r.num(EPISODE.firstEventId) ?? Infinity;
    const last = r.num(EPISODE.lastEventId) ?? -Infinity;
    out.push({
      kind,
      start,
      end: r.time(EPISODE.timeEnd) ?? start,
      title: r.str(EPISODE.title) ?? kind,
      detail: r.str(EPISODE.text) ?? '',
      primaryBefore: r.str(EPISODE.primaryBefore),
      primaryAfter: r.str(EPISODE.primaryAfter),
      writableAfterSeconds: r.num(EPISODE.writableAfterSeconds),
      settled: r.bool(EPISODE.settled) ?? false,
      eventCount: r.num(EPISODE.events) ?? 0,
      events: events
        .filter((e) => e.id !== undefined && e.id >= first && e.id <= last)
        .map((e) => e.view)
        .sort((a, b) => a.time - b.time),
    });
  }
  return out.sort((a, b) => a.start - b.start);
}
