/**
 * Formation episodes: pg_auto_failover logs every step of a failover as its own event (a hard kill is ~20 rows:
 * goal states, reported states, health flips), which buries the one fact on-call needs next to a burn chart —
 * "node2 → node1, writable again after 7.5 s". This folds the raw events into episodes: a run of events from the
 * first departure from a settled formation until every node is settled again (reported = goal, a steady state,
 * healthy). Pure: events in, episodes out.
 */

/** The fields of a failover event this needs (src/api/pgha's FailoverEvent has them). */
export interface FormationEvent {
  /** ms */
  time: number;
  node?: string;
  /** The node's reported state when the event was logged. */
  reported?: string;
  /** The node's goal state when the event was logged. */
  goal?: string;
  text: string;
}

export type EpisodeKind = 'failover' | 'switchover' | 'primary kept' | 'no primary' | 'in progress' | 'other';

export interface FormationEpisode<E extends FormationEvent = FormationEvent> {
  kind: EpisodeKind;
  /** ms, first and last event */
  start: number;
  end: number;
  /** "Failover: node2 → node1" */
  title: string;
  /** "node1 writable after 7.5 s · node2 stopped answering the monitor · ended: node1 primary, node2 secondary" */
  detail: string;
  primaryBefore?: string;
  primaryAfter?: string;
  /** From the episode's first event to the new primary first reporting a writable state. */
  writableAfterMs?: number;
  /** Every node settled by the last event (false: still under way when the range ends). */
  settled: boolean;
  events: E[];
}

const WRITABLE = new Set(['single', 'wait_primary', 'primary']);
const STEADY = new Set(['single', 'primary', 'secondary', 'maintenance']);
/** A quiet stretch this long also closes an episode, so a node that never settles cannot swallow a day. */
export const EPISODE_MAX_GAP_MS = 10 * 60_000;

interface NodeState {
  reported?: string;
  goal?: string;
  healthy: boolean;
}

const settledNode = (n: NodeState) =>
  n.healthy && n.reported !== undefined && n.reported === n.goal && STEADY.has(n.reported);

function apply(nodes: Map<string, NodeState>, e: FormationEvent) {
  if (!e.node) {
    return;
  }
  const n = nodes.get(e.node) ?? { healthy: true };
  n.reported = e.reported ?? n.reported;
  n.goal = e.goal ?? n.goal;
  if (/marked as unhealthy/i.test(e.text)) {
    n.healthy = false;
  } else if (/marked as healthy/i.test(e.text)) {
    n.healthy = true;
  }
  nodes.set(e.node, n);
}

/** Splits events (any order) into episodes, oldest first. */
export function formationEpisodes<E extends FormationEvent>(events: E[]): Array<FormationEpisode<E>> {
  const sorted = [...events].sort((a, b) => a.time - b.time);
  // Node states carry over between episodes: a node that has not settled is still unsettled in the next run.
  const nodes = new Map<string, NodeState>();
  const out: Array<FormationEpisode<E>> = [];
  let run: E[] = [];
  const close = (last: boolean) => {
    const snapshot = new Map([...nodes].map(([k, v]) => [k, { ...v }]));
    const settled = [...snapshot.values()].every(settledNode);
    out.push(describe(run, snapshot, settled, last && !settled));
    run = [];
  };
  for (const e of sorted) {
    if (run.length && e.time - run[run.length - 1].time > EPISODE_MAX_GAP_MS) {
      close(false);
    }
    run.push(e);
    apply(nodes, e);
    if ([...nodes.values()].every(settledNode)) {
      close(false);
    }
  }
  if (run.length) {
    close(true);
  }
  return out;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function describe<E extends FormationEvent>(
  run: E[],
  nodes: Map<string, NodeState>,
  settled: boolean,
  open: boolean
): FormationEpisode<E> {
  const first = new Map<string, E>();
  const unhealthy = new Set<string>();
  for (const e of run) {
    if (e.node && !first.has(e.node)) {
      first.set(e.node, e);
    }
    if (e.node && /marked as unhealthy/i.test(e.text)) {
      unhealthy.add(e.node);
    }
  }
  const primaryBefore = [...first.entries()].find(([, e]) => e.reported && WRITABLE.has(e.reported))?.[0];
  const primaryAfter = [...nodes.entries()].find(
    ([, n]) => n.reported && n.reported === n.goal && WRITABLE.has(n.reported)
  )?.[0];
  const start = run[0].time;
  const end = run[run.length - 1].time;
  const requested = run.some((e) => /user-initiated/i.test(e.text));

  let writableAfterMs: number | undefined;
  if (primaryAfter && primaryAfter !== primaryBefore) {
    const promoted = run.find((e) => e.node === primaryAfter && e.reported && WRITABLE.has(e.reported));
    writableAfterMs = promoted ? promoted.time - start : undefined;
  }

  let kind: EpisodeKind;
  let title: string;
  if (first.size === 0) {
    // Events without node or states (another source, an older data source): nothing to judge, say what it said.
    return { kind: 'other', start, end, title: run[0].text, detail: '', settled: true, events: run };
  } else if (primaryAfter && primaryBefore && primaryAfter !== primaryBefore) {
    kind = requested ? 'switchover' : 'failover';
    title = `${requested ? 'Switchover' : 'Failover'}: ${primaryBefore} → ${primaryAfter}`;
  } else if (open) {
    kind = 'in progress';
    title = primaryAfter ? `Under way: ${primaryAfter} writable` : 'Under way: no writable primary yet';
  } else if (!primaryAfter) {
    kind = 'no primary';
    title = 'No writable primary';
  } else {
    kind = 'primary kept';
    title = `${primaryAfter} stayed primary`;
  }

  const parts: string[] = [];
  if (writableAfterMs !== undefined) {
    parts.push(`${primaryAfter} writable after ${seconds(writableAfterMs)}`);
  }
  // In a requested switchover the old primary is briefly marked unhealthy while it demotes: that is not news.
  if (unhealthy.size && !requested) {
    const lost = [...unhealthy];
    parts.push(`${lost.join(' and ')} stopped answering the monitor`);
  }
  const finalStates = [...nodes.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, n]) => `${name} ${n.reported === n.goal ? n.reported : `${n.reported} → ${n.goal}`}`);
  parts.push(`${settled ? 'ended' : 'now'}: ${finalStates.join(', ')}`);
  if (end > start) {
    parts.push(`${seconds(end - start)} from first to last event`);
  }

  return {
    kind,
    start,
    end,
    title,
    detail: parts.join(' · '),
    primaryBefore,
    primaryAfter,
    writableAfterMs,
    settled,
    events: run,
  };
}
