/**
 * The budget ledger (issue 13 item 3): where a period's bad events went. Every bad event of the period is attributed
 * exactly once, to the first cause in PRECEDENCE whose window holds it — a correction (maintenance, accepted
 * incident), a failover episode of the PG HA data source, one of the SLO's own burn alerts being active, a deploy —
 * or else to "unattributed", so the lines add up to the period's bad events, integer by integer (100 % of the
 * spend). Incidents (failover and alert episodes, overlapping ones joined) that spent more than 20 % of the period's
 * budget are flagged "postmortem required" (the SRE workbook's error-budget policy). Pure: the loader (api/ledger.ts)
 * reads the windows and the exact counts of each segment ledgerPlan cuts.
 */
import type { AlertEpisode } from './alertHistory';
import { ALL_SLOS, type GrafanaAnnotation } from './corrections';
import type { Window } from './recurrence';

export type AttributedCause = 'correction' | 'failover' | 'alert' | 'deploy';
export type LedgerCause = AttributedCause | 'unattributed';

/** Who gets an event that two windows hold: a correction first (its events leave the corrected budget), then the
 * most specific evidence of a cause (the database failed over), then the symptom (an alert), then a change. */
export const PRECEDENCE: readonly AttributedCause[] = ['correction', 'failover', 'alert', 'deploy'];
export const LEDGER_CAUSES: readonly LedgerCause[] = [...PRECEDENCE, 'unattributed'];

export const CAUSE_LABEL: Record<LedgerCause, string> = {
  correction: 'Corrections',
  failover: 'Failover episodes',
  alert: 'Alert episodes',
  deploy: 'Deploys',
  unattributed: 'Unattributed',
};

/** A deploy owns the time after it until the next deploy or this long after it (after its end for a region). */
export const DEPLOY_OWNS_MS = 60 * 60000;
/** A failover episode owns its monitor events' span plus this tail: clients reconnect and retry after the last
 * monitor event, and a window shorter than a scrape interval would hold no sample to measure. */
export const FAILOVER_TAIL_MS = 5 * 60000;
/** The SRE workbook's rule: a single incident that spends more than this share of the period's budget. */
export const POSTMORTEM_SHARE = 0.2;

/** One attributable window, [from, to) in ms. */
export interface LedgerWindow extends Window {
  cause: AttributedCause;
  id: string;
  title: string;
}

/** A deploy mark (an annotation tagged `deploy`): its SLOs from `slo:<id>` tags, all SLOs when it names none. */
export interface Deploy {
  id: string;
  time: number;
  /** Region annotations: when the rollout ended. */
  timeEnd?: number;
  title: string;
  sloIds: string[] | 'all';
}

/** A formation episode as the ledger needs it (EpisodeView of the PG HA data source, or a CLI file). */
export interface FailoverEpisode {
  start: number;
  end: number;
  title: string;
  /** false: still under way, it runs to the end of what is measured. */
  settled: boolean;
}

/** The tag that marks a deploy annotation (what a CI step posts to /api/annotations). */
export const DEPLOY_TAG = 'deploy';

/**
 * Deploys from the annotations API's answer: annotations tagged `deploy`, `slo:<id>` tags narrowing them (none, or
 * `slo:*`: every SLO), the first line of the text as the title. A region's end is the rollout's end.
 */
export function deploysFromAnnotations(list: GrafanaAnnotation[]): Deploy[] {
  return list
    .filter((a) => (a.tags ?? []).includes(DEPLOY_TAG) && Number.isFinite(a.time))
    .map((a) => {
      const slos = (a.tags ?? []).filter((t) => t.startsWith('slo:')).map((t) => t.slice(4));
      const title = (a.text ?? '').split('\n')[0].trim();
      return {
        id: `a:${a.id}`,
        time: a.time,
        timeEnd: a.timeEnd !== undefined && a.timeEnd > a.time ? a.timeEnd : undefined,
        title: title || 'Deploy',
        sloIds: !slos.length || slos.includes(ALL_SLOS) ? 'all' : slos,
      };
    });
}

/** The windows of the deploys that concern `sloId`, each until the next one of them or DEPLOY_OWNS_MS. */
export function deployWindows(deploys: Deploy[], sloId: string): LedgerWindow[] {
  const mine = deploys
    .filter((d) => d.sloIds === 'all' || d.sloIds.includes(sloId))
    .sort((a, b) => a.time - b.time || a.id.localeCompare(b.id));
  return mine.map((d, i) => ({
    cause: 'deploy',
    id: d.id,
    title: d.title,
    from: d.time,
    to: Math.min(mine[i + 1]?.time ?? Infinity, Math.max(d.time, d.timeEnd ?? d.time) + DEPLOY_OWNS_MS),
  }));
}

/** Failover episodes' windows (every SLO's: the formation serves them all); an unsettled one runs to `endMs`. */
export function failoverWindows(episodes: FailoverEpisode[], endMs: number): LedgerWindow[] {
  return episodes.map((e) => ({
    cause: 'failover',
    id: `f:${e.start}`,
    title: e.title,
    from: e.start,
    to: (e.settled ? e.end : Math.max(e.end, endMs)) + FAILOVER_TAIL_MS,
  }));
}

/** Alert episodes' windows: from pending (the burn was already on) to resolved, or `endMs` while active. */
export function alertWindows(episodes: AlertEpisode[], endMs: number): LedgerWindow[] {
  return episodes.map((e) => ({
    cause: 'alert',
    id: `a:${e.alert}:${e.activeAt}`,
    title: e.alert,
    from: e.activeAt,
    to: e.resolvedAt ?? endMs,
  }));
}

/** An incident: failover and alert windows that overlap or touch, joined (a failover that fired the fast burn). */
export interface IncidentPlan extends Window {
  id: string;
  kind: 'failover' | 'alert';
  title: string;
  members: LedgerWindow[];
}

/** A disjoint piece of the period with one owner: what the loader measures. [from, to) in whole seconds (ms). */
export interface Segment extends Window {
  cause: AttributedCause;
  /** The window that gets its events: the earliest-starting one of its cause that holds it. */
  owner: string;
  incident?: string;
}

export interface LedgerPlan {
  from: number;
  to: number;
  windows: LedgerWindow[];
  segments: Segment[];
  incidents: IncidentPlan[];
}

const rank = (c: AttributedCause) => PRECEDENCE.indexOf(c);

/**
 * Cuts [from, to) into disjoint segments, each owned by one window by PRECEDENCE; time no window holds is left out
 * (its events are the period's total minus the segments'). Edges are widened to whole seconds first (correction
 * windows are read the same way: correctionQuery.ts), so segments are what PromQL's `@` and ranges can name.
 * Adjacent pieces with the same owner and incident are one segment: one term of the query each.
 */
export function ledgerPlan(windows: LedgerWindow[], from: number, to: number): LedgerPlan {
  const snapped = windows
    .map((w) => ({
      ...w,
      from: Math.max(from, Math.floor(w.from / 1000) * 1000),
      to: Math.min(to, Math.ceil(w.to / 1000) * 1000),
    }))
    .filter((w) => w.to > w.from);
  const incidents = incidentsOf(snapped);
  const edges = [...new Set([from, to, ...snapped.flatMap((w) => [w.from, w.to])])].sort((a, b) => a - b);
  const segments: Segment[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const [a, b] = [edges[i], edges[i + 1]];
    const holding = snapped.filter((w) => w.from <= a && w.to >= b);
    if (!holding.length) {
      continue;
    }
    const owner = holding.sort(
      (x, y) => rank(x.cause) - rank(y.cause) || x.from - y.from || x.id.localeCompare(y.id)
    )[0];
    const incident = incidents.find((c) => c.from <= a && c.to >= b && c.members.some((m) => m.from <= a && m.to >= b));
    const last = segments[segments.length - 1];
    if (
      last &&
      last.to === a &&
      last.owner === owner.id &&
      last.cause === owner.cause &&
      last.incident === incident?.id
    ) {
      last.to = b;
    } else {
      segments.push({ from: a, to: b, cause: owner.cause, owner: owner.id, incident: incident?.id });
    }
  }
  return { from, to, windows: snapped, segments, incidents };
}

function incidentsOf(windows: LedgerWindow[]): IncidentPlan[] {
  const sorted = windows
    .filter((w) => w.cause === 'failover' || w.cause === 'alert')
    .sort((a, b) => a.from - b.from || a.id.localeCompare(b.id));
  const groups: LedgerWindow[][] = [];
  let end = -Infinity;
  for (const w of sorted) {
    if (groups.length && w.from <= end) {
      groups[groups.length - 1].push(w);
    } else {
      groups.push([w]);
    }
    end = groups[groups.length - 1].length === 1 ? w.to : Math.max(end, w.to);
  }
  return groups.map((members, i) => {
    const failover = members.find((m) => m.cause === 'failover');
    const alerts = [...new Set(members.filter((m) => m.cause === 'alert').map((m) => m.title))];
    return {
      id: `i${i + 1}`,
      kind: failover ? 'failover' : 'alert',
      title: failover
        ? `${failover.title}${alerts.length ? ` (alerts: ${alerts.join(', ')})` : ''}`
        : `Alert: ${alerts.join(', ')}`,
      from: members[0].from,
      to: Math.max(...members.map((m) => m.to)),
      members,
    };
  });
}

/** A segment's measured counts (undefined: not measured, and then the ledger is unknown). */
export interface SegmentCounts {
  bad?: number;
  valid?: number;
}

export interface LedgerItem {
  id: string;
  title: string;
  from: number;
  to: number;
  bad: number;
}

export interface LedgerLine {
  cause: LedgerCause;
  /** Whole bad events attributed to the cause. */
  bad: number;
  /** Valid events in its segments (unattributed: the rest of the period). */
  valid: number;
  /** bad / the period's budget (allowed bad events): the lines' shares add up to the budget used. */
  budgetShare?: number;
  /** bad / the period's bad events: the lines' shares add up to 1 (undefined with no bad event). */
  spendShare?: number;
  /** The spend share in tenths of a percent, rounded so the lines add up to exactly 1000 (largest remainder). */
  spendTenths?: number;
  /** The windows of the cause that own events, with their own counts (none for unattributed). */
  items: LedgerItem[];
}

export interface LedgerIncident {
  id: string;
  kind: 'failover' | 'alert';
  title: string;
  from: number;
  to: number;
  /** Every bad event inside the incident's windows, whoever the lines attribute them to. */
  bad: number;
  budgetShare?: number;
  postmortem: boolean;
  /** Part of it lies in a correction window (its events there are out of the corrected budget). */
  corrected: boolean;
}

export interface Ledger {
  /** The period's bad and valid events (rounded to whole events). */
  bad: number;
  valid: number;
  /** Allowed bad events: (1 − objective) × valid events. 0 with no traffic. */
  budget: number;
  budgetUsed?: number;
  /** Without the correction windows' events (as the report's corrected figures). */
  correctedBudget?: number;
  correctedBudgetUsed?: number;
  lines: LedgerLine[];
  incidents: LedgerIncident[];
  /** Events the segments measured beyond the period's total (increase()'s extrapolation at unaligned edges): taken
   * off the lowest-precedence lines so the lines still add up to the total. */
  drift: number;
}

export interface LedgerInput {
  objective: number;
  /** The period's exact totals (the report's). */
  bad?: number;
  valid?: number;
  plan: LedgerPlan;
  /** Counts per segment, in plan.segments' order. */
  counts: SegmentCounts[];
}

const whole = (v: number) => Math.max(0, Math.round(v));

/**
 * Integer parts of `total` in proportion to `values` that add up to exactly `total` (largest remainder; ties to the
 * earlier value). All zero when the values are.
 */
export function apportion(values: number[], total: number): number[] {
  const sum = values.reduce((s, v) => s + v, 0);
  if (!(sum > 0)) {
    return values.map(() => 0);
  }
  const exact = values.map((v) => (v / sum) * total);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((s, v) => s + v, 0);
  const order = exact.map((v, i) => ({ i, r: v - Math.floor(v) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) {
      break;
    }
    out[i]++;
    left--;
  }
  return out;
}

/** The ledger of one SLO over the period, or undefined when a count it needs is unknown. */
export function buildLedger(input: LedgerInput): Ledger | undefined {
  const { plan, counts, objective } = input;
  if (input.bad === undefined || input.valid === undefined || !Number.isFinite(input.bad + input.valid)) {
    return undefined;
  }
  if (counts.length !== plan.segments.length || counts.some((c) => !Number.isFinite(c.bad! + c.valid!))) {
    return undefined;
  }
  const bad = whole(input.bad);
  const valid = whole(input.valid);
  const budget = (1 - objective) * valid;
  const share = (n: number) => (budget > 0 ? n / budget : undefined);
  const segBad = counts.map((c) => whole(c.bad!));
  const segValid = counts.map((c) => whole(c.valid!));
  // Measured per cause, then capped in precedence order at what the total leaves: the lines add up to `bad`.
  let left = bad;
  let drift = 0;
  const lines: LedgerLine[] = PRECEDENCE.map((cause) => {
    const idx = plan.segments.map((s, i) => (s.cause === cause ? i : -1)).filter((i) => i >= 0);
    const measured = idx.reduce((n, i) => n + segBad[i], 0);
    const taken = Math.min(measured, left);
    drift += measured - taken;
    left -= taken;
    const items = plan.windows
      .filter((w) => w.cause === cause)
      .map((w) => ({
        id: w.id,
        title: w.title,
        from: w.from,
        to: w.to,
        bad: idx.filter((i) => plan.segments[i].owner === w.id).reduce((n, i) => n + segBad[i], 0),
      }));
    return { cause, bad: taken, valid: idx.reduce((n, i) => n + segValid[i], 0), items };
  });
  const attributedValid = lines.reduce((n, l) => n + l.valid, 0);
  lines.push({ cause: 'unattributed', bad: left, valid: Math.max(0, valid - attributedValid), items: [] });
  const tenths = apportion(
    lines.map((l) => l.bad),
    1000
  );
  for (const [i, l] of lines.entries()) {
    l.budgetShare = share(l.bad);
    l.spendShare = bad > 0 ? l.bad / bad : undefined;
    l.spendTenths = bad > 0 ? tenths[i] : undefined;
  }
  const correction = lines[0];
  const corrected = plan.segments.some((s) => s.cause === 'correction');
  const correctedBudget = corrected ? (1 - objective) * Math.max(0, valid - correction.valid) : undefined;
  const incidents = plan.incidents.map((c): LedgerIncident => {
    const idx = plan.segments.map((s, i) => (s.incident === c.id ? i : -1)).filter((i) => i >= 0);
    const n = idx.reduce((s, i) => s + segBad[i], 0);
    const b = share(n);
    return {
      id: c.id,
      kind: c.kind,
      title: c.title,
      from: c.from,
      to: c.to,
      bad: n,
      budgetShare: b,
      postmortem: b !== undefined && b > POSTMORTEM_SHARE,
      corrected: idx.some((i) => plan.segments[i].cause === 'correction'),
    };
  });
  return {
    bad,
    valid,
    budget,
    budgetUsed: share(bad),
    correctedBudget,
    correctedBudgetUsed:
      correctedBudget !== undefined && correctedBudget > 0 ? (bad - correction.bad) / correctedBudget : undefined,
    lines,
    incidents,
    drift,
  };
}
