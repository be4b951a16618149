// The PG HA data source's failoverObjective frames (pkg/plugin FailoverObjectiveFrames; golden file
// pkg/plugin/testdata/failover_objective.golden.jsonc), read strictly by name: Go judges the failovers, this only
// reads what it said.
import type { DataFrame } from '@grafana/data';

export interface FailoverJudged {
  time: number;
  title: string;
  writableAfterSeconds?: number;
  verdict: 'met' | 'missed' | 'pending';
}

export interface FailoverObjectiveView {
  objective: number;
  writableWithinSeconds: number;
  failovers: number;
  met: number;
  missed: number;
  pending: number;
  /** Met / failovers; undefined when there was no failover to judge. */
  ratio?: number;
  meets: boolean;
  worst?: { title: string; time: number; writableAfterSeconds?: number };
  judged: FailoverJudged[];
}

function columns(frame: DataFrame, names: string[]): unknown[][] {
  return names.map((n) => {
    const field = frame.fields.find((f) => f.name === n);
    if (!field) {
      throw new Error(`the ${frame.name} frame has no field "${n}"`);
    }
    return field.values;
  });
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Both frames of a failoverObjective answer; throws naming the frame or field that is missing. */
export function readFailoverObjective(frames: DataFrame[]): FailoverObjectiveView {
  const summary = frames.find((f) => f.name === 'failover_objective');
  const rows = frames.find((f) => f.name === 'failovers');
  if (!summary || !rows) {
    throw new Error(
      'the PG HA data source did not answer the failover objective (failover_objective, failovers frames)'
    );
  }
  const [objective, within, failovers, met, missed, pending, ratio, meets, worstTitle, worstTime, worstWritable] =
    columns(summary, [
      'objective',
      'writable_within_seconds',
      'failovers',
      'met',
      'missed',
      'pending',
      'ratio',
      'meets',
      'worst_title',
      'worst_time',
      'worst_writable_seconds',
    ]).map((c) => c[0]);
  const [times, titles, writable, verdicts] = columns(rows, ['time', 'title', 'writable_after_seconds', 'verdict']);
  return {
    objective: num(objective) ?? NaN,
    writableWithinSeconds: num(within) ?? NaN,
    failovers: num(failovers) ?? 0,
    met: num(met) ?? 0,
    missed: num(missed) ?? 0,
    pending: num(pending) ?? 0,
    ratio: num(ratio),
    meets: meets === true,
    worst:
      typeof worstTitle === 'string' && worstTitle !== '' && num(worstTime) !== undefined
        ? { title: worstTitle, time: num(worstTime)!, writableAfterSeconds: num(worstWritable) }
        : undefined,
    judged: times.map((t, i) => ({
      time: num(t) ?? NaN,
      title: String(titles[i]),
      writableAfterSeconds: num(writable[i]),
      verdict: verdicts[i] as FailoverJudged['verdict'],
    })),
  };
}
