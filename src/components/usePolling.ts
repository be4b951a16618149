import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { isCancelled } from '../api/errors';

export interface PollState<T> {
  /** The key the data was loaded for. */
  key?: string;
  data?: T;
  /** When `data` was loaded (ms). */
  dataAt?: number;
  /** The last load's error; `data` is kept so pages never go blank (NOC wall). */
  error?: unknown;
  errorAt?: number;
  loading: boolean;
}

/**
 * Runs `load` now, whenever `key` changes, and every `refreshMs`. Each run gets its own AbortSignal: a new run,
 * a key change or unmounting aborts the previous one, so leaving a page cancels its Prometheus requests.
 * On error the last good data stays, with the error next to it.
 */
export function usePolling<T>(load: (signal: AbortSignal) => Promise<T>, key: string, refreshMs?: number) {
  const [state, setState] = useState<PollState<T>>({ loading: true });
  const loadRef = useRef(load);
  const keyRef = useRef(key);
  useLayoutEffect(() => {
    loadRef.current = load;
    keyRef.current = key;
  });
  const ctl = useRef<AbortController>();

  const inFlight = useRef(false);

  /** `tick` = a timer refresh: it waits for a request still in flight (so a hung Prometheus ends in a timeout
   * error, which marks the values stale) instead of aborting it. */
  const run = useCallback((tick?: boolean) => {
    if (tick === true && inFlight.current) {
      return;
    }
    ctl.current?.abort();
    inFlight.current = true;
    const c = new AbortController();
    ctl.current = c;
    const k = keyRef.current;
    setState((s) => (s.key === k ? { ...s, loading: true } : { key: k, loading: true }));
    // Through a promise so a loader that throws synchronously (e.g. no data source set) lands in `error`.
    Promise.resolve()
      .then(() => loadRef.current(c.signal))
      .then((data) => {
        if (ctl.current === c) {
          inFlight.current = false;
        }
        if (!c.signal.aborted) {
          setState({ key: k, data, dataAt: Date.now(), loading: false });
        }
      })
      .catch((error) => {
        if (ctl.current === c) {
          inFlight.current = false;
        }
        if (!c.signal.aborted && !isCancelled(error)) {
          setState((s) => ({ ...(s.key === k ? s : { key: k }), error, errorAt: Date.now(), loading: false }));
        }
      });
  }, []);

  useEffect(() => {
    run();
    return () => ctl.current?.abort();
  }, [key, run]);

  useEffect(() => {
    if (!refreshMs) {
      return undefined;
    }
    const t = setInterval(() => run(true), refreshMs);
    return () => clearInterval(t);
  }, [refreshMs, run, key]);

  // Data loaded for another key is never shown (a new key means other data).
  const reload = useCallback(() => run(false), [run]);
  return state.key === key ? { ...state, reload } : { loading: true, reload };
}

/** Re-renders every `ms` (for "updated 2 min ago" labels). */
export function useNow(ms = 10000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
