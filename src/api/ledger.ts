/**
 * What the budget ledger loads (src/slo/ledger.ts), on top of the report's answer (its period, exact totals and
 * corrections): the SLOs' own burn alerts' history over the period (ONE range-vector query for every SLO, by alert
 * name), then the exact counts of every segment the windows cut (pinned increase() over the raw counters, as the
 * corrections are read: one instant query for every SLO, split only past LEDGER_SEGMENTS_PER_REQUEST segments).
 * Deploys (annotations tagged `deploy`) and failover episodes (the PG HA data source) come from the caller: the
 * page reads them through Grafana (loadDeploys, loadEpisodes), the CLI from files.
 */
import { lastValueFrom } from 'rxjs';
import { errorText, isCancelled } from './errors';
import type { ReportData } from './loaders';
import type { BackendSrvLike, PrometheusClient } from './prometheus';
import { alertEpisodes, alertHistoryQueryFor, alertHistoryResolution, type AlertEpisode } from '../slo/alertHistory';
import { appliesTo, CORRECTION_KINDS, type GrafanaAnnotation } from '../slo/corrections';
import { countsByWindow, excludedCountsQuery } from '../slo/correctionQuery';
import {
  alertWindows,
  buildLedger,
  type Deploy,
  deploysFromAnnotations,
  deployWindows,
  DEPLOY_TAG,
  type FailoverEpisode,
  failoverWindows,
  type Ledger,
  ledgerPlan,
  type LedgerPlan,
  type LedgerWindow,
} from '../slo/ledger';
import type { Slo } from '../slo/types';

/** Segments per counts request: a joined query's cost grows with the square of its `or` operands (BENCHMARKS.md). */
export const LEDGER_SEGMENTS_PER_REQUEST = 150;

/** Where each kind of window came from: read, not read (no data source, no file), or failed (the reason). */
export type SourceState = { state: 'read' } | { state: 'not read'; why: string } | { state: 'failed'; why: string };

export interface LedgerSources {
  /** undefined: not read (say why in `why`). */
  deploys?: Deploy[];
  failovers?: FailoverEpisode[];
  deploysWhy?: string;
  failoversWhy?: string;
}

export interface SloLedger {
  slo: Slo;
  plan: LedgerPlan;
  /** Undefined when a count it needs could not be read (the page says so). */
  ledger?: Ledger;
}

export interface LedgerData {
  from: number;
  evalEnd: number;
  running: boolean;
  ledgers: SloLedger[];
  sources: { deploys: SourceState; failovers: SourceState; alerts: SourceState };
  problems: string[];
}

/** The burn alerts of every SLO in one matcher (alert names are unique across SLOs). */
function burnAlertMatcher(slos: Slo[]): string | undefined {
  const names = [...new Set(slos.flatMap((s) => s.alerts.map((a) => a.name)))].sort();
  const escaped = names.map((n) => n.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'));
  return names.length ? `alertname=~"${escaped.join('|').replace(/\\/g, '\\\\')}"` : undefined;
}

/** The SLO's correction windows as ledger windows (one per annotation or occurrence, named by kind and reason). */
function correctionWindows(report: ReportData, slo: Slo): LedgerWindow[] {
  const label = (k: string) => CORRECTION_KINDS.find((c) => c.kind === k)?.label ?? k;
  return report.corrections
    .filter((c) => appliesTo(c, slo.id))
    .map((c) => ({
      cause: 'correction',
      id: `c:${c.id}`,
      title: `${label(c.kind)}${c.reason ? `: ${c.reason}` : ''}`,
      from: c.from,
      to: c.to,
    }));
}

async function settle<T>(p: Promise<T>): Promise<{ value?: T; error?: string }> {
  try {
    return { value: await p };
  } catch (e) {
    if (isCancelled(e)) {
      throw e;
    }
    return { error: errorText(e) };
  }
}

/** Groups of SLOs whose segments fit in one request (an SLO with more goes alone). */
function requestGroups(slos: Slo[], segments: Map<string, unknown[]>): Slo[][] {
  const groups: Slo[][] = [];
  let n = Infinity;
  for (const s of slos) {
    const k = segments.get(s.id)?.length ?? 0;
    if (!k) {
      continue;
    }
    if (n + k > LEDGER_SEGMENTS_PER_REQUEST) {
      groups.push([]);
      n = 0;
    }
    groups[groups.length - 1].push(s);
    n += k;
  }
  return groups;
}

/**
 * The ledger of every SLO over the report's period up to its evaluation end. Requests: 1 (alert history) + 1 per
 * LEDGER_SEGMENTS_PER_REQUEST segments (usually 1), none when the report has no totals.
 */
export async function loadLedger(
  client: PrometheusClient,
  report: ReportData,
  sources: LedgerSources,
  signal?: AbortSignal,
  nowMs = Date.now()
): Promise<LedgerData> {
  const from = report.period.startMs;
  const to = report.evalEnd;
  const problems: string[] = [];
  const srcState = (list: unknown[] | undefined, why = 'not read'): SourceState =>
    list ? { state: 'read' } : { state: 'not read', why };
  const data: LedgerData = {
    from,
    evalEnd: to,
    running: to < report.period.endMs,
    ledgers: [],
    sources: {
      deploys: srcState(sources.deploys, sources.deploysWhy),
      failovers: srcState(sources.failovers, sources.failoversWhy),
      alerts: { state: 'read' },
    },
    problems,
  };
  if (!report.slos.length || to <= from) {
    return data;
  }
  // Alerts: every SLO's burn tiers (not NoData: a lost signal spends no budget by itself).
  const matcher = burnAlertMatcher(report.slos);
  let episodes: AlertEpisode[] = [];
  if (matcher) {
    const historyEnd = Math.min(nowMs, to + 5 * 60000); // an alert resolved right at the end reads resolved
    const byName = new Map(report.slos.flatMap((s) => s.alerts.map((a) => [a.name, a] as const)));
    const answer = await settle(
      client.queryMatrix(alertHistoryQueryFor(matcher, from, Math.max(to, historyEnd)), {
        time: Math.max(to, historyEnd),
        signal,
        what: 'the alert history of the period',
      })
    );
    if (answer.value) {
      episodes = alertEpisodes(answer.value, {
        fromMs: from,
        toMs: Math.max(to, historyEnd),
        intervalSeconds: (n) => alertHistoryResolution(from, historyEnd) ?? byName.get(n)?.evalIntervalSeconds,
        forSeconds: (n) => byName.get(n)?.forSeconds ?? 0,
      });
    } else {
      problems.push(answer.error!);
      data.sources.alerts = { state: 'failed', why: answer.error! };
    }
  }
  const plans = new Map(
    report.slos.map((slo) => {
      const own = new Set(slo.alerts.map((a) => a.name));
      const windows = [
        ...correctionWindows(report, slo),
        ...failoverWindows(sources.failovers ?? [], to),
        ...alertWindows(
          episodes.filter((e) => own.has(e.alert)),
          to
        ),
        ...deployWindows(sources.deploys ?? [], slo.id),
      ];
      return [slo.id, ledgerPlan(windows, from, to)] as const;
    })
  );
  const segments = new Map([...plans].map(([id, p]) => [id, p.segments]));
  const groups = requestGroups(report.slos, segments);
  const answers = await Promise.all(
    groups.map((group) =>
      settle(
        client.query(excludedCountsQuery(group, segments)!, {
          time: to,
          signal,
          what: 'the events of the ledger windows',
        })
      )
    )
  );
  // An SLO whose segments were in a failed request has no ledger (never a guess); the others keep theirs.
  const unknown = new Set(groups.flatMap((g, i) => (answers[i].error ? g.map((s) => s.id) : [])));
  const failed = answers.find((a) => a.error);
  if (failed) {
    problems.push(failed.error!);
  }
  const counts = countsByWindow(
    answers.flatMap((a) => a.value ?? []),
    segments
  );
  for (const slo of report.slos) {
    const plan = plans.get(slo.id)!;
    const t = report.totals.get(slo.id);
    const ledger = unknown.has(slo.id)
      ? undefined
      : buildLedger({ objective: slo.objective, bad: t?.bad, valid: t?.valid, plan, counts: counts.get(slo.id) ?? [] });
    data.ledgers.push({ slo, plan, ledger });
  }
  return data;
}

/**
 * Deploy marks in [fromMs, toMs] from Grafana's annotations API (`GET /api/annotations?tags=deploy`), up to
 * `limit` (Grafana's default is 100: a busy month has more).
 */
export async function loadDeploys(srv: BackendSrvLike, fromMs: number, toMs: number, limit = 5000): Promise<Deploy[]> {
  const answer = await lastValueFrom(
    srv.fetch<GrafanaAnnotation[]>({
      url: '/api/annotations',
      params: {
        tags: DEPLOY_TAG,
        from: String(Math.floor(fromMs)),
        to: String(Math.ceil(toMs)),
        type: 'annotation',
        limit: String(limit),
      },
      showErrorAlert: false,
    })
  );
  if (!Array.isArray(answer.data)) {
    throw new Error('the annotations API did not answer a list');
  }
  return deploysFromAnnotations(answer.data);
}
