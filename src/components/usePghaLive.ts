import { useEffect, useState } from 'react';
import { LoadingState } from '@grafana/data';
import { mergeResponses, messageOf, queryPgha$, type PghaStreamState } from '../api/pghaSource';
import type { PghaQuery } from '../datasource/types';

export interface PghaLiveState extends PghaStreamState {
  /** When frames last arrived (ms). */
  dataAt?: number;
  /** The subscription failed (data source gone, request refused); the last frames are kept. */
  error?: string;
  errorAt?: number;
}

/**
 * Live queries of the PG HA data source, the way a dashboard panel runs them: one request through the data source,
 * then Grafana Live pushes each new snapshot (the topology panel's own path). Frames are merged per stream; the last
 * ones stay on screen when the subscription fails, with the error and its time, so a page never goes blank.
 * queriesKey must change whenever the queries do (it is the effect's dependency, the array is not).
 */
export function usePghaLive(
  uid: string | undefined,
  queries: PghaQuery[],
  queriesKey: string,
  rangeMs: number
): PghaLiveState {
  const [state, setState] = useState<PghaLiveState>({ series: [], state: LoadingState.Loading, errors: [] });
  useEffect(() => {
    if (!uid) {
      return undefined;
    }
    const merge = mergeResponses();
    const to = Date.now();
    const sub = queryPgha$(uid, queries, to - rangeMs, to).subscribe({
      next: (r) => {
        const merged = merge(r);
        const failed = merged.errors.length > 0 && merged.series.length === 0;
        setState((prev) =>
          failed
            ? {
                ...prev,
                state: LoadingState.Error,
                errors: merged.errors,
                error: merged.errors[0].message,
                errorAt: Date.now(),
              }
            : { ...merged, dataAt: Date.now() }
        );
      },
      error: (e: unknown) =>
        setState((prev) => ({ ...prev, state: LoadingState.Error, error: messageOf(e), errorAt: Date.now() })),
    });
    return () => sub.unsubscribe();
    // The queries are identified by queriesKey: a new array with the same queries must not resubscribe.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [uid, queriesKey, rangeMs]);
  return state;
}
