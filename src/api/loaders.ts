/**
 * What each page loads, as plain async functions over a PrometheusClient (the bench and the integration tests
 * call them directly). The overview issues a constant number of requests whatever the number of SLOs: rules, then
 * all-windows ratios beside the budgets read from the recorded buckets (one request per 720 h of window, with the
 * low-traffic guard's counts): 3 for 30-day SLOs. SLOs the buckets cannot answer (rules not loaded, a bucket
 * missing) are read from the raw counters in PERIOD_PARALLELISM more requests, only when there are such SLOs.
 */
import { errorText, isCancelled } from './errors';
import { type GivenCorrections, loadRollingCorrected } from './rollingCorrections';
import type { PrometheusClient } from './prometheus';
import type { PromSample, PromSeries } from './types';
import {
  alertEpisodes,
  alertHistoryQuery,
  alertHistoryResolution,
  allAlerts,
  budgetRemaining,
  errorRatio,
  type AlertEpisode,
  ALL_RATIOS_SELECTOR,
  counterIncreaseQuery,
  counterWindowsQuery,
  discoverSlos,
  latencyQuantileQuery,
  toPromDuration,
  sumIntoDays,
  WINDOW_LABEL,
  PART_LABEL,
  RAW_WINDOW_LABEL,
  rawRatiosQuery,
  periodRatioBySlo,
  periodRatioQuery,
  ratiosBySlo,
  SLO_LABEL,
  sloRatiosSelector,
  seriesPoints,
  type Point,
  type Slo,
  type SloStatus,
  validEventsBySlo,
  validEventsQuery,
  guardWindows,
} from '../slo';
import {
  bucketBudgetQuery,
  bucketBudgetRatios,
  bucketGuardQuery,
  bucketPlan,
  bucketSegmentCount,
  hourlyBudgetIds,
} from '../slo/hourlyBudget';
import { FORECAST_BASIS_SECONDS } from '../slo/forecast';
import { type Correction, type Window } from '../slo/corrections';
import { expandRecurring } from '../slo/recurringCorrections';
import { type Counts, excludedCountsQuery } from '../slo/correctionQuery';
import { planReportCorrections, readReportCorrections } from './reportCorrections';
import { dayBucketSeconds, localDays, type Period, periodEvalEnd, shiftPeriod } from '../slo/periods';

/** How many requests the joined 30-day budget query is split into (evaluated in parallel by Prometheus). */
export const PERIOD_PARALLELISM = 2;

export interface OverviewData {
  slos: Slo[];
  status: Map<string, SloStatus>;
  /** Parts that failed while others loaded ("burn rates: …"); the page shows them as partial data. */
  problems: string[];
  loadedAt: number;
}

/**
 * What went wrong in the settled requests of one page load, in words (the page shows them as partial data). A
 * cancellation is not a failure: it is thrown on, so a page that was left does not report a problem.
 */
function failures(results: Array<PromiseSettledResult<unknown>>): string[] {
  const out: string[] = [];
  for (const r of results) {
    if (r.status === 'rejected') {
      if (isCancelled(r.reason)) {
        throw r.reason;
      }
      out.push(errorText(r.reason));
    }
  }
  return out;
}

/** What the bucket budget requests depend on: the distinct SLO windows (seconds) and guard windows. */
interface BucketShape {
  windows: number[];
  guards: string[];
}

/**
 * The shape the last overview load found (module state, kept while the app is loaded: in-app navigation and
 * refreshes send the right requests early). Nothing before the first load, so a deployment without bucket rules
 * never sends them.
 */
let lastBucketShape: BucketShape = { windows: [], guards: [] };

/** Forget the last load (tests). */
export function resetBucketShape() {
  lastBucketShape = { windows: [], guards: [] };
}

/** Answers sent for `sent` serve `needed`: the same windows, and every guard window it needs. */
const covers = (sent: BucketShape, needed: BucketShape) =>
  sent.windows.join() === needed.windows.join() && needed.guards.every((g) => sent.guards.includes(g));

/**
 * The bucket budget requests of a shape: per 720 h segment, the bad events and the valid events in two requests
 * Prometheus evaluates side by side (one query runs on one core); the guard counts ride with the first valid one.
 */
function bucketRequests(shape: BucketShape, at: number): string[] {
  if (!shape.windows.length) {
    return [];
  }
  return Array.from({ length: bucketSegmentCount(shape.windows, at) }, (_, k) => [
    bucketBudgetQuery(shape.windows, at, k, ['bad'])!,
    [bucketBudgetQuery(shape.windows, at, k, ['valid']), k === 0 ? bucketGuardQuery(shape.guards, at) : undefined]
      .filter(Boolean)
      .join(' or '),
  ]).flat();
}

export async function loadOverview(
  client: PrometheusClient,
  signal?: AbortSignal,
  nowMs = Date.now(),
  corrections?: Promise<GivenCorrections>,
  timeZone = 'UTC'
): Promise<OverviewData> {
  const time = nowMs;
  const at = nowMs / 1000;
  const ratiosP = client.query(ALL_RATIOS_SELECTOR, { time, signal, what: 'burn rates' });
  // Marked handled at once: it may fail while the rules are still awaited (Prometheus down), which the browser
  // would report as an unhandled rejection on every refresh. allSettled below still sees its failure.
  ratiosP.catch(() => undefined);
  // The bucket budget queries name no SLO, only windows: sent with the rules for the windows the last load found,
  // they overlap the rules' download and parsing instead of following them. Used when the rules agree; otherwise
  // the right ones are sent after the rules (two more requests, once).
  const sendBuckets = (shape: BucketShape) =>
    bucketRequests(shape, at).map((q) => {
      const p = client.query(q, { time, signal, what: 'the 30-day error budgets' });
      p.catch(() => undefined);
      return p;
    });
  const guess = lastBucketShape;
  const early = guess.windows.length ? sendBuckets(guess) : [];
  // Rules decide everything else: if they fail, the whole load fails (and the page keeps its last values).
  const rules = await client.rules({ signal });
  const slos = discoverSlos(rules);
  if (!slos.length) {
    return { slos, status: new Map(), problems: [], loadedAt: nowMs };
  }
  // Budgets from the recorded buckets (slo-budget.yml) for every SLO whose bucket rules are loaded: name-level
  // selectors, a fixed number of terms per request whatever the number of SLOs (two requests per 720 h segment).
  const withBuckets = hourlyBudgetIds(rules);
  const bucketSlos = slos.filter((s) => withBuckets.has(s.id) && bucketPlan(at, s.windowSeconds));
  const shape: BucketShape = {
    windows: [...new Set(bucketSlos.map((s) => s.windowSeconds))].sort((a, b) => a - b),
    guards: [...new Set(bucketSlos.flatMap(guardWindows))].sort(),
  };
  lastBucketShape = shape;
  const reuse = early.length > 0 && covers(guess, shape);
  const bucketPs = !shape.windows.length ? [] : reuse ? early : sendBuckets(shape);
  const [ratios, ...buckets] = await Promise.allSettled([ratiosP, ...bucketPs]);
  failures([ratios, ...buckets]); // a cancellation stops here
  const periodMap = new Map<string, number>();
  const validMap = new Map<string, Record<string, number>>();
  const budgetAsOf = new Map<string, number>();
  let rawSlos = slos;
  if (bucketPs.length && buckets.every((b) => b.status === 'fulfilled')) {
    const samples = buckets.flatMap((b) => (b.status === 'fulfilled' ? b.value : []));
    const { ratios: r, incomplete } = bucketBudgetRatios(samples, bucketSlos, at);
    const guardCounts = validEventsBySlo(samples);
    const asOf = bucketPlan(at, bucketSlos[0].windowSeconds)!.asOf * 1000;
    const answered = (s: Slo) =>
      withBuckets.has(s.id) &&
      !incomplete.has(s.id) &&
      bucketPlan(at, s.windowSeconds) !== undefined &&
      guardWindows(s).every((w) => guardCounts.get(s.id)?.[w] !== undefined);
    for (const s of slos.filter(answered)) {
      if (r.has(s.id)) {
        periodMap.set(s.id, r.get(s.id)!);
      }
      if (guardWindows(s).length) {
        validMap.set(s.id, guardCounts.get(s.id)!);
      }
      budgetAsOf.set(s.id, asOf);
    }
    rawSlos = slos.filter((s) => !answered(s));
  }
  // The rest (no bucket rules, a missing bucket, a failed bucket request) from the raw counters: the joined
  // 30-day increase() per SLO, as PERIOD_PARALLELISM requests evaluated side by side by Prometheus.
  const size = Math.ceil(rawSlos.length / PERIOD_PARALLELISM);
  const chunks = Array.from({ length: PERIOD_PARALLELISM }, (_, i) => rawSlos.slice(i * size, (i + 1) * size)).filter(
    (c) => c.length
  );
  const periods = await Promise.allSettled(
    chunks.map((c) =>
      client.query(overviewPartQuery(c), { time, signal, what: 'the 30-day error budgets and event counts' })
    )
  );
  const problems = failures([ratios]);
  const failed = failures(periods);
  if (failed.length) {
    problems.push(failed[0]);
  }
  for (const p of periods) {
    if (p.status === 'fulfilled') {
      periodRatioBySlo(p.value).forEach((v, k) => periodMap.set(k, v));
      validEventsBySlo(p.value).forEach((v, k) => validMap.set(k, v));
    }
  }
  const ratioMap = ratios.status === 'fulfilled' ? ratiosBySlo(ratios.value) : new Map();
  const status = new Map<string, SloStatus>();
  // Corrections (read by the page from Grafana's annotations while the rules loaded, plus the spec's recurring
  // ones): the corrected rolling figures beside the raw ones, for the SLOs whose window holds one.
  const given = corrections ? await corrections : undefined;
  if (given?.problem) {
    problems.push(given.problem);
  }
  const rolling = await loadRollingCorrected(client, slos, given?.corrections ?? [], nowMs, timeZone, signal);
  problems.push(...rolling.problems);
  for (const slo of slos) {
    status.set(slo.id, {
      periodErrorRatio: periodMap.get(slo.id),
      ratios: ratioMap.get(slo.id) ?? {},
      validEvents: validMap.get(slo.id),
      budgetAsOf: budgetAsOf.get(slo.id),
      corrected: rolling.corrected.get(slo.id),
    });
  }
  return { slos, status, problems, loadedAt: nowMs };
}

/**
 * One overview part: the 30-day ratios of its SLOs and, in the same request, their guard windows' valid events
 * (increase over 1h–3d: cheap next to the 30-day increase). Series of both kinds are told apart by label.
 */
function overviewPartQuery(slos: Slo[]): string {
  const period = periodRatioQuery(slos)!;
  const valid = validEventsQuery(slos);
  return valid ? `${period} or ${valid}` : period;
}

/** Range-query step for a time span: about 300 points, at least 60 s, rounded to whole minutes. */
export function stepFor(spanMs: number, points = 300): number {
  return Math.max(60, Math.ceil(spanMs / 1000 / points / 60) * 60);
}

/**
 * Below this span the budget chart shows the SLO window ending at the range end, with the range marked: hourly
 * buckets would leave a 70-minute alert range with one point (docs/slo-pages.md, "Budget over a short range").
 */
export const BUDGET_CONTEXT_BELOW_MS = 86400000;

/** How far past the range end the alert history reads (see loadDetail). */
export const HISTORY_LOOKAHEAD_MS = 5 * 60000;

export interface DetailData {
  ratios: Partial<Record<string, Point[]>>;
  /** Before this time (ms) the ratios come from the raw counters (the recording rules had no samples there). */
  rawUntil?: number;
  step: number;
  /** Bad/valid event increases per bucket (`bucketSeconds`), from `from − window` to `to`. */
  bad: Point[];
  valid: Point[];
  bucketSeconds: number;
  /** Start of the budget chart (ms): the range start, or for short ranges the range end minus the SLO window. */
  budgetFromMs: number;
  /** Exact budget left at the range start and end (short ranges only: one instant query, `@`-pinned). */
  budgetAtEnds?: { from?: number; to?: number };
  p95?: Point[];
  /** Pending/firing episodes of the SLO's alerts in the range (undefined when the history could not be read). */
  history?: AlertEpisode[];
  problems: string[];
  queries: { ratios: string; budget?: string; p95?: string; history?: string };
}

export async function loadDetail(
  client: PrometheusClient,
  slo: Slo,
  fromMs: number,
  toMs: number,
  signal?: AbortSignal
): Promise<DetailData> {
  const step = stepFor(toMs - fromMs);
  const bucketSeconds = toMs - fromMs > 60 * 86400000 ? 6 * 3600 : 3600;
  const ratiosQ = sloRatiosSelector(slo);
  const budgetQ = counterIncreaseQuery([slo], bucketSeconds === 3600 ? '1h' : '6h');
  const context = toMs - fromMs < BUDGET_CONTEXT_BELOW_MS;
  const budgetFromMs = context ? Math.min(fromMs, toMs - slo.windowSeconds * 1000) : fromMs;
  const window = toPromDuration(slo.windowSeconds);
  const endsQ = context
    ? counterWindowsQuery(
        [slo],
        [
          { range: window, at: fromMs / 1000, key: 'from' },
          { range: window, at: toMs / 1000, key: 'to' },
        ]
      )
    : undefined;
  // A page's link ends its range at the alert's EndsAt, the very evaluation that resolved it: read a few minutes
  // past the end (when they exist) so an alert that resolved there reads as resolved, not as still active.
  const historyEnd = Math.max(toMs, Math.min(Date.now(), toMs + HISTORY_LOOKAHEAD_MS));
  const historyQ = alertHistoryQuery(slo, fromMs, historyEnd);
  // Like Grafana's $__rate_interval: each point covers its own step (plus one 5 min sample), so a 30-day chart shows
  // the p95 of each ~2 h bucket instead of only the last 5 minutes of it, and 5-minute history still has 2 samples.
  const p95Q =
    slo.kind === 'latency' ? latencyQuantileQuery(slo, 0.95, toPromDuration(Math.max(300, step + 300))) : undefined;
  const alignedFrom =
    Math.floor((budgetFromMs - slo.windowSeconds * 1000) / (bucketSeconds * 1000)) * bucketSeconds * 1000;
  const [ratios, budget, p95, history, ends] = await Promise.allSettled([
    client.queryRange(ratiosQ, fromMs, toMs, step, { signal, what: 'burn rates' }),
    budgetQ
      ? client.queryRange(budgetQ, alignedFrom, toMs, bucketSeconds, { signal, what: 'the budget history' })
      : Promise.resolve([] as PromSeries[]),
    p95Q
      ? client.queryRange(p95Q, fromMs, toMs, step, { signal, what: 'the p95 latency' })
      : Promise.resolve(undefined),
    client.queryMatrix(historyQ, { time: historyEnd, signal, what: 'the alert history' }),
    endsQ
      ? client.query(endsQ, { time: toMs, signal, what: 'the budget at the range ends' })
      : Promise.resolve(undefined),
  ]);
  const problems = failures([ratios, budget, p95, history, ends]);
  if (ratios.status === 'rejected' && budget.status === 'rejected') {
    throw ratios.reason;
  }
  const byWindow: DetailData['ratios'] = {};
  for (const s of ratios.status === 'fulfilled' ? ratios.value : []) {
    const w = (s.metric.__name__ ?? '').replace('slo:sli_error:ratio_rate', '');
    byWindow[w] = seriesPoints(s);
  }
  const byName = new Map(allAlerts(slo).map((a) => [a.name, a]));
  const rawUntil =
    ratios.status === 'fulfilled'
      ? await fillRatioHead(client, slo, byWindow, fromMs, toMs, step, problems, signal)
      : undefined;
  const budgetSeries = budget.status === 'fulfilled' ? budget.value : [];
  const part = (p: string) =>
    seriesPoints(budgetSeries.find((s) => s.metric[PART_LABEL] === p && s.metric[SLO_LABEL] === slo.id));
  return {
    ratios: byWindow,
    rawUntil,
    step,
    bad: part('bad'),
    valid: part('valid'),
    bucketSeconds,
    budgetFromMs,
    budgetAtEnds: ends.status === 'fulfilled' && ends.value ? remainingAtEnds(slo, ends.value) : undefined,
    p95: p95.status === 'fulfilled' && p95.value ? seriesPoints(p95.value[0]) : undefined,
    history:
      history.status === 'fulfilled'
        ? alertEpisodes(history.value, {
            fromMs,
            toMs: historyEnd,
            // A subquery's samples are its resolution apart, not the rule's evaluation interval.
            intervalSeconds: (name) =>
              alertHistoryResolution(fromMs, historyEnd) ?? byName.get(name)?.evalIntervalSeconds,
            forSeconds: (name) => byName.get(name)?.forSeconds ?? 0,
          })
        : undefined,
    problems,
    queries: { ratios: ratiosQ, budget: budgetQ, p95: p95Q, history: historyQ },
  };
}

/** Budget left at the range start and end from the `@`-pinned window totals (keys "from" and "to"). */
function remainingAtEnds(slo: Slo, samples: PromSample[]): DetailData['budgetAtEnds'] {
  const at = (key: string) => {
    const t = totalsFrom(samples, key).get(slo.id);
    // No valid event in the whole window spends nothing: the budget is untouched.
    const ratio = t?.valid === 0 ? 0 : errorRatio(t?.bad ?? 0, t?.valid);
    return t ? budgetRemaining(ratio, slo.objective) : undefined;
  };
  return { from: at('from'), to: at('to') };
}

/**
 * Recorded ratios that start later than the range (rules deployed after the traffic began; the stack backfills
 * them for 7 days only) are completed before their first sample from the rules' own expressions over the raw
 * counters. One more request, only when such a gap exists; each window keeps its recorded samples where it has
 * them. Returns the end of the filled head, or undefined when nothing was filled.
 */
async function fillRatioHead(
  client: PrometheusClient,
  slo: Slo,
  byWindow: DetailData['ratios'],
  fromMs: number,
  toMs: number,
  step: number,
  problems: string[],
  signal?: AbortSignal
): Promise<number | undefined> {
  const firsts = Object.values(byWindow)
    .map((pts) => pts?.find((p) => Number.isFinite(p.v))?.t)
    .filter((t): t is number => t !== undefined);
  const headEnd = firsts.length ? Math.min(...firsts) - step * 1000 : toMs;
  const rawQ = rawRatiosQuery(slo);
  if (!rawQ || headEnd - fromMs < 3 * step * 1000) {
    return undefined;
  }
  let raw: PromSeries[];
  try {
    raw = await client.queryRange(rawQ, fromMs, headEnd, step, {
      signal,
      what: 'burn rates before the recording rules',
    });
  } catch (e) {
    if (isCancelled(e)) {
      throw e;
    }
    problems.push(errorText(e));
    return undefined;
  }
  for (const s of raw) {
    const w = s.metric[RAW_WINDOW_LABEL] as keyof DetailData['ratios'];
    const recorded = byWindow[w] ?? [];
    const first = recorded.find((p) => Number.isFinite(p.v))?.t ?? Infinity;
    byWindow[w] = [...seriesPoints(s).filter((p) => p.t < first), ...recorded.filter((p) => p.t >= first)];
  }
  return raw.length ? headEnd : undefined;
}

export interface ReportData {
  slos: Slo[];
  /** The period reported on (its kind, id and time zone; boundaries at the zone's local midnights). */
  period: Period;
  evalEnd: number;
  /** Exact period totals by SLO. */
  totals: Map<string, { bad?: number; valid?: number }>;
  /** Local-day buckets by SLO (t = end of the day; the running day's bucket ends at evalEnd). */
  daily: Map<string, { bad: Point[]; valid: Point[] }>;
  /** Totals of earlier periods of the same kind and zone by period key, then SLO. */
  history: Map<string, Map<string, { bad?: number; valid?: number }>>;
  historyPeriods: Period[];
  /** Running period only: each SLO's counts over the 24 h before evalEnd, the forecast's basis (forecast.ts). */
  lastDay: Map<string, { bad?: number; valid?: number }>;
  /** The corrections that overlap the period up to evalEnd (as given to loadReport). */
  corrections: Correction[];
  /**
   * Per SLO with correction windows in the period: those windows (merged, clipped) and the events inside them, read
   * exactly (correctionQuery.ts). Counts undefined when that read failed: the corrected figures are then unknown.
   */
  excluded: Map<string, Counts & { windows: Window[] }>;
  /**
   * The same events per day of the period (key: the day's bucket end, as in `daily`: a local midnight, or the
   * evaluation end for the day under way); a count is undefined when its read failed.
   */
  excludedDaily: Map<string, Map<number, Counts>>;
  /** The earlier periods' exclusions: period key → SLO with windows in it → the events inside them. */
  historyExcluded: Map<string, Map<string, Counts & { windows: Window[] }>>;
  problems: string[];
}

/** A report with no figures: no SLO, a period not started, or a base for tests to fill. */
export function emptyReport(slos: Slo[], period: Period, evalEnd: number, problems: string[] = []): ReportData {
  return {
    slos,
    period,
    evalEnd,
    totals: new Map(),
    daily: new Map(),
    history: new Map(),
    historyPeriods: [],
    lastDay: new Map(),
    corrections: [],
    excluded: new Map(),
    excludedDaily: new Map(),
    historyExcluded: new Map(),
    problems,
  };
}

function totalsFrom(samples: PromSample[], key?: string): Map<string, { bad?: number; valid?: number }> {
  const out = new Map<string, { bad?: number; valid?: number }>();
  for (const s of samples) {
    if (key !== undefined && s.metric[WINDOW_LABEL] !== key) {
      continue;
    }
    const id = s.metric[SLO_LABEL];
    const part = s.metric[PART_LABEL] as 'bad' | 'valid';
    if (!id || (part !== 'bad' && part !== 'valid')) {
      continue;
    }
    const e = out.get(id) ?? {};
    e[part] = Number(s.value[1]);
    out.set(id, e);
  }
  return out;
}

/** Keys of the running day's and the forecast basis' windows in the history query (never a period key). */
const RUNNING_DAY = 'running-day';
const LAST_DAY = 'last-24h';

/**
 * The error-budget report over a period in its time zone: exact totals of the period (one instant query, `@`
 * pinned at its end or now), bucket counts for the burn-down summed into local days (one range query evaluated at
 * start + k × bucket, so the buckets align with the zone's midnights whatever its offset: an hour, or 30 min for a
 * zone whose DST shift is 30 min, dayBucketSeconds) and, in one more instant query, the totals of the previous
 * `historyCount` periods, the day under way (last local midnight to now: without it the burn-down and "worst day"
 * would stop at midnight while the totals run to now) and the last 24 h (the forecast's basis). 4 requests with the
 * rules, whatever the number of SLOs. Every window reads the raw counters with `increase()`, exact wherever its
 * edges fall on a sample, so local midnights need no recorded bucket of their own.
 */
export async function loadReport(
  client: PrometheusClient,
  period: Period,
  nowMs = Date.now(),
  signal?: AbortSignal,
  historyCount = 6,
  corrections: Correction[] = []
): Promise<ReportData> {
  const slos = discoverSlos(await client.rules({ signal }));
  const evalEnd = periodEvalEnd(period, nowMs);
  const problems: string[] = [];
  const running = evalEnd < period.endMs;
  const empty = emptyReport(slos, period, evalEnd, problems);
  if (!slos.length || evalEnd <= period.startMs) {
    return empty;
  }
  const secs = Math.round((evalEnd - period.startMs) / 1000);
  const totalsQ = counterWindowsQuery(slos, [{ range: `${secs}s`, at: evalEnd / 1000 }]);
  const bucket = dayBucketSeconds(period);
  const bucketQ = counterIncreaseQuery(slos, toPromDuration(bucket));
  const historyPeriods = Array.from({ length: historyCount }, (_, i) => shiftPeriod(period, -(i + 1)));
  const days = localDays(period);
  // Whole local days end at the last midnight before evalEnd; the day under way is its own window.
  const wholeDays = days.filter((d) => d.endMs <= evalEnd);
  const lastMidnight = wholeDays.length ? wholeDays[wholeDays.length - 1].endMs : period.startMs;
  const runningDaySecs = Math.floor((evalEnd - lastMidnight) / 1000);
  const historyQ = counterWindowsQuery(slos, [
    ...historyPeriods.map((m) => ({
      range: `${Math.round((m.endMs - m.startMs) / 1000)}s`,
      at: m.endMs / 1000,
      key: m.key,
    })),
    // A window under a minute holds at most one scrape: increase() has nothing to measure yet.
    ...(runningDaySecs >= 60 ? [{ range: `${runningDaySecs}s`, at: evalEnd / 1000, key: RUNNING_DAY }] : []),
    ...(running ? [{ range: `${FORECAST_BASIS_SECONDS}s`, at: evalEnd / 1000, key: LAST_DAY }] : []),
  ]);
  const firstBucketEnd = period.startMs + bucket * 1000;
  // Corrections: one more instant query, only when some window falls in the period or an earlier one shown.
  // The spec's recurring windows (from the rules) join the given ones, expanded in the period's time zone.
  const earliest = historyPeriods.length ? historyPeriods[historyPeriods.length - 1].startMs : period.startMs;
  const all = [
    ...corrections.filter((c) => c.to > earliest && c.from < evalEnd),
    ...expandRecurring(slos, earliest, evalEnd, period.timeZone),
  ];
  const inPeriod = all.filter((c) => c.to > period.startMs && c.from < evalEnd);
  // The reported period's windows are read per piece inside one local day (cut at its midnights), so the
  // burn-down and the worst day can be corrected too; the earlier periods' windows ride in the same query.
  const plan = planReportCorrections(
    slos,
    all,
    period,
    evalEnd,
    [...wholeDays.map((d) => d.endMs), evalEnd],
    historyPeriods
  );
  const pieces = plan.pieces;
  const excludedQ = excludedCountsQuery(slos, pieces);
  const [totals, buckets, history, excludedAnswer] = await Promise.allSettled([
    totalsQ ? client.query(totalsQ, { time: evalEnd, signal, what: 'the period totals' }) : Promise.resolve([]),
    bucketQ && lastMidnight >= firstBucketEnd
      ? client.queryRange(bucketQ, firstBucketEnd, lastMidnight, bucket, { signal, what: 'the daily budget use' })
      : Promise.resolve([] as PromSeries[]),
    historyQ ? client.query(historyQ, { time: evalEnd, signal, what: 'the earlier periods' }) : Promise.resolve([]),
    excludedQ
      ? client.query(excludedQ, { time: evalEnd, signal, what: 'the events inside the corrections' })
      : Promise.resolve([]),
  ]);
  problems.push(...failures([totals, buckets, history, excludedAnswer]));
  const { excluded, excludedDaily, historyExcluded } = readReportCorrections(
    plan,
    excludedAnswer.status === 'fulfilled' ? excludedAnswer.value : undefined
  );
  if (totals.status === 'rejected' && buckets.status === 'rejected') {
    throw totals.reason;
  }
  const dailyMap = new Map<string, { bad: Point[]; valid: Point[] }>();
  for (const s of buckets.status === 'fulfilled' ? buckets.value : []) {
    const id = s.metric[SLO_LABEL];
    const part = s.metric[PART_LABEL];
    if (!id || (part !== 'bad' && part !== 'valid')) {
      continue;
    }
    const e = dailyMap.get(id) ?? { bad: [], valid: [] };
    e[part] = sumIntoDays(seriesPoints(s), wholeDays);
    dailyMap.set(id, e);
  }
  const historyMap = new Map<string, Map<string, { bad?: number; valid?: number }>>();
  let lastDay = new Map<string, { bad?: number; valid?: number }>();
  if (history.status === 'fulfilled') {
    for (const m of historyPeriods) {
      historyMap.set(m.key, totalsFrom(history.value, m.key));
    }
    for (const [id, day] of totalsFrom(history.value, RUNNING_DAY)) {
      if (day.bad === undefined || day.valid === undefined) {
        continue;
      }
      const e = dailyMap.get(id) ?? { bad: [], valid: [] };
      e.bad.push({ t: evalEnd, v: day.bad });
      e.valid.push({ t: evalEnd, v: day.valid });
      dailyMap.set(id, e);
    }
    lastDay = totalsFrom(history.value, LAST_DAY);
  }
  return {
    slos,
    period,
    evalEnd,
    totals: totals.status === 'fulfilled' ? totalsFrom(totals.value) : new Map(),
    daily: dailyMap,
    history: historyMap,
    historyPeriods,
    lastDay,
    corrections: inPeriod,
    excluded,
    excludedDaily,
    historyExcluded,
    problems,
  };
}
