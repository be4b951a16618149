/**
 * What the app's pages load from veza-pgha-datasource, each through the data source (pghaSource.ts), read strictly
 * from the frames Go sends: formation episodes, the failover objective, the verdict.
 */
import type { DataFrame } from '@grafana/data';
import { QueryType } from '../datasource/types';
import { readEpisodes, type EpisodeView } from '../panels/topology/episodes';
import { toView, type StatusView } from '../panels/topology/model';
import { readFailoverObjective, type FailoverObjectiveView } from '../slo/failoverObjective';
import { errorOf, queryPghaOnce } from './pghaSource';

/** The frames of one query, or an error naming the data source and what it could not do. */
async function framesOf(uid: string, refId: string, answer: ReturnType<typeof queryPghaOnce>, couldNot: string) {
  const a = await answer;
  const failed = errorOf(a, refId);
  if (failed) {
    throw new Error(`The Postgres HA data source "${uid}" could not ${couldNot}: ${failed}`);
  }
  return a;
}

/**
 * The episodes that end in [fromMs, toMs], folded by the data source, each with the monitor events it folds (up to
 * eventLimit events are fetched to list under them).
 */
export async function loadEpisodes(
  uid: string,
  fromMs: number,
  toMs: number,
  eventLimit = 2000
): Promise<EpisodeView[]> {
  const answer = await framesOf(
    uid,
    'episodes',
    queryPghaOnce(
      uid,
      [
        { refId: 'episodes', queryType: QueryType.Episodes, limit: 500 },
        { refId: 'events', queryType: QueryType.Events, limit: eventLimit },
      ],
      fromMs,
      toMs,
      'the formation changes'
    ),
    'fold the formation changes'
  );
  const frames: DataFrame[] = [...(answer.frames.get('episodes') ?? []), ...(answer.frames.get('events') ?? [])];
  return readEpisodes(frames);
}

/**
 * The failovers of [fromMs, toMs] judged by the data source against its objective (Go's default, 95 % writable
 * within 30 s): for the Postgres HA page (30 days) and the monthly report (the month).
 */
export async function loadFailoverObjective(uid: string, fromMs: number, toMs: number): Promise<FailoverObjectiveView> {
  const answer = await framesOf(
    uid,
    'failoverObjective',
    queryPghaOnce(
      uid,
      [{ refId: 'failoverObjective', queryType: QueryType.FailoverObjective }],
      fromMs,
      toMs,
      'the failover objective'
    ),
    'judge the failovers'
  );
  return readFailoverObjective(answer.frames.get('failoverObjective') ?? []);
}

/** The formation's verdict now (the `status` query). */
export async function loadFormationStatus(uid: string): Promise<StatusView | undefined> {
  const to = Date.now();
  const answer = await framesOf(
    uid,
    'status',
    queryPghaOnce(uid, [{ refId: 'status', queryType: QueryType.Status }], to - 3600000, to, 'its status'),
    'judge the formation'
  );
  return toView(answer.frames.get('status') ?? []).status;
}
