/**
 * Firing history of an SLO's alerts over a time range, from the series Prometheus writes for every active alert at
 * each rule evaluation: `ALERTS{alertstate="pending|firing"}` (value 1) and `ALERTS_FOR_STATE` (value = the alert's
 * activeAt in unix seconds). Neither is written while an alert is inactive, so an episode is a run of samples; it
 * ends at the first evaluation without one. Pure: the loader fetches the raw samples with one range-vector query.
 */
import type { PromSeries } from '../api/types';
import type { Slo } from './types';

export interface AlertEpisode {
  alert: string;
  /** When the alert became pending (ms): ALERTS_FOR_STATE's value, else its first sample in the range. */
  activeAt: number;
  /** First evaluation at which it fired (ms); undefined when it stayed pending and never fired. */
  firedAt?: number;
  /** The firing began before the range: firedAt is activeAt + `for:`, not an observed sample. */
  firedEstimated: boolean;
  /** When it resolved (ms): the evaluation after its last active sample. Undefined: still active at the range end. */
  resolvedAt?: number;
  /** The alert was already active when the range began. */
  startedBefore: boolean;
}

/**
 * Up to this span the history reads the raw samples (one per evaluation while active). Beyond it, a subquery at
 * HISTORY_RESOLUTION_S: an alert that fired for weeks at a 5 s evaluation would otherwise send ~500 000 samples a
 * series. Alerts shorter than a minute (none of ours: `for:` is 2 m or more) can be missed there.
 */
export const RAW_HISTORY_MAX_MS = 2 * 86400000;
export const HISTORY_RESOLUTION_S = 60;

/** The resolution of the history over a range in seconds, or undefined for the raw samples. */
export function alertHistoryResolution(fromMs: number, toMs: number): number | undefined {
  return toMs - fromMs > RAW_HISTORY_MAX_MS ? HISTORY_RESOLUTION_S : undefined;
}

/**
 * ONE query for every alert of the SLO, whatever their number: both series over the range as a range vector
 * evaluated at the range end, so each sample keeps its own time (a range query's steps would miss an alert that
 * fired between two steps of a 30-day chart); a one-minute subquery over long ranges.
 */
export function alertHistoryQuery(slo: Slo, fromMs: number, toMs: number): string {
  return alertHistoryQueryFor(slo.matcher, fromMs, toMs);
}

/** The same for any label matcher (the budget ledger: every SLO's burn alerts by name, in one query). */
export function alertHistoryQueryFor(matcher: string, fromMs: number, toMs: number): string {
  const seconds = Math.max(1, Math.ceil((toMs - fromMs) / 1000));
  const res = alertHistoryResolution(fromMs, toMs);
  return `{__name__=~"ALERTS|ALERTS_FOR_STATE", ${matcher}}[${seconds}s${res ? `:${res}s` : ''}]`;
}

interface Sample {
  t: number;
  state?: 'pending' | 'firing';
  activeAt?: number;
}

/** The identity of one alert instance: its name and labels, without the series name and the state. */
function instanceKey(metric: Record<string, string>): string {
  return Object.entries(metric)
    .filter(([k]) => k !== '__name__' && k !== 'alertstate')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export interface HistoryOptions {
  fromMs: number;
  toMs: number;
  /** Evaluation interval of each alert's group in seconds (samples are this far apart while active). */
  intervalSeconds: (alert: string) => number | undefined;
  /** `for:` of each alert in seconds. */
  forSeconds: (alert: string) => number;
}

/** Episodes of every alert instance in the answer, oldest first. */
export function alertEpisodes(series: PromSeries[], opts: HistoryOptions): AlertEpisode[] {
  const byInstance = new Map<string, { alert: string; samples: Map<number, Sample> }>();
  for (const s of series) {
    const alert = s.metric.alertname;
    if (!alert) {
      continue;
    }
    const key = instanceKey(s.metric);
    const entry = byInstance.get(key) ?? { alert, samples: new Map<number, Sample>() };
    byInstance.set(key, entry);
    for (const [ts, raw] of s.values) {
      const t = Math.round(ts * 1000);
      const sample = entry.samples.get(t) ?? { t };
      if (s.metric.__name__ === 'ALERTS_FOR_STATE') {
        const v = Number(raw);
        sample.activeAt = Number.isFinite(v) ? v * 1000 : undefined;
      } else if (s.metric.alertstate === 'firing' || s.metric.alertstate === 'pending') {
        // Firing wins if both were written at one time (they never are; be safe).
        sample.state = sample.state === 'firing' ? 'firing' : s.metric.alertstate;
      }
      entry.samples.set(t, sample);
    }
  }
  const out: AlertEpisode[] = [];
  for (const { alert, samples } of byInstance.values()) {
    out.push(
      ...episodesOf(
        alert,
        [...samples.values()].sort((a, b) => a.t - b.t),
        opts
      )
    );
  }
  return out.sort((a, b) => a.activeAt - b.activeAt || a.alert.localeCompare(b.alert));
}

function episodesOf(alert: string, samples: Sample[], opts: HistoryOptions): AlertEpisode[] {
  const intervalMs = (opts.intervalSeconds(alert) ?? 60) * 1000;
  // More than 2.5 evaluations without a sample: the alert was inactive in between (a missed evaluation is not).
  const gapMs = 2.5 * intervalMs;
  const runs: Sample[][] = [];
  let run: Sample[] = [];
  let runActiveAt: number | undefined;
  for (const s of samples) {
    const prev = run[run.length - 1];
    const sameActive = s.activeAt !== undefined && runActiveAt !== undefined && s.activeAt === runActiveAt;
    const otherActive = s.activeAt !== undefined && runActiveAt !== undefined && s.activeAt !== runActiveAt;
    // A new activeAt is a new alert (Prometheus starts over after a resolve); the same one across a gap is a
    // Prometheus restart that restored the alert's state, so the episode goes on.
    if (prev && (otherActive || (s.t - prev.t > gapMs && !sameActive))) {
      runs.push(run);
      run = [];
      runActiveAt = undefined;
    }
    run.push(s);
    runActiveAt = runActiveAt ?? s.activeAt;
  }
  if (run.length) {
    runs.push(run);
  }
  return runs.map((r) => {
    const first = r[0];
    const last = r[r.length - 1];
    const known = r.find((s) => s.activeAt !== undefined)?.activeAt;
    const activeAt = known ?? first.t;
    // Without ALERTS_FOR_STATE, a run that opens the range may have begun before it.
    const startedBefore = known !== undefined ? known < opts.fromMs : first.t - opts.fromMs <= gapMs;
    const firstFiring = r.find((s) => s.state === 'firing')?.t;
    const forMs = opts.forSeconds(alert) * 1000;
    // Firing since before the range: the first sample only says "already firing"; activeAt + for is when it fired.
    const firedEstimated = firstFiring !== undefined && firstFiring === first.t && startedBefore;
    const firedAt = firedEstimated ? Math.min(firstFiring!, activeAt + forMs) : firstFiring;
    return {
      alert,
      activeAt,
      firedAt,
      firedEstimated,
      resolvedAt: opts.toMs - last.t > gapMs ? last.t + intervalMs : undefined,
      startedBefore,
    };
  });
}

/** How long an episode fired within what is known (to the range end when still firing); undefined if it never did. */
export function firingSeconds(e: AlertEpisode, toMs: number): number | undefined {
  return e.firedAt === undefined ? undefined : Math.max(0, ((e.resolvedAt ?? toMs) - e.firedAt) / 1000);
}

/** The latest episode of `alert`, if any. */
export function lastEpisode(episodes: AlertEpisode[] | undefined, alert: string): AlertEpisode | undefined {
  return episodes?.filter((e) => e.alert === alert).pop();
}
