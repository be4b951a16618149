// What the rule-cost benchmark reads out of a Prometheus' own /metrics text, and how it sums it per rule set.
// Prometheus 2.42 exposes, per rule group, only the LAST evaluation's duration and sample count (labelled
// rule_group="<file>;<group>"), so the bench reads /metrics more often than the groups evaluate and keeps one
// reading per evaluation, told apart by prometheus_rule_group_last_evaluation_timestamp_seconds. Groups may have
// their own interval (a 5m group evaluates 60 times less often than a 5s one), so the cost of a set is its
// evaluation time per minute: Σ over its groups of mean evaluation time × evaluations per minute.

export interface GroupReading {
  at: number; // last evaluation timestamp, seconds
  durationS: number;
  samples: number;
  rules: number;
  intervalS: number;
}

const WANTED = {
  prometheus_rule_group_last_evaluation_timestamp_seconds: 'at',
  prometheus_rule_group_last_duration_seconds: 'durationS',
  prometheus_rule_group_last_evaluation_samples: 'samples',
  prometheus_rule_group_rules: 'rules',
  prometheus_rule_group_interval_seconds: 'intervalS',
} as const;

/** Per rule group ("<file>;<group>"), its last evaluation as /metrics reports it. */
export function groupReadings(metrics: string): Map<string, GroupReading> {
  const out = new Map<string, GroupReading>();
  for (const m of metrics.matchAll(/^(prometheus_rule_group_\w+)\{rule_group="([^"]+)"\} (\S+)$/gm)) {
    const field = WANTED[m[1] as keyof typeof WANTED];
    if (field) {
      const g = out.get(m[2]) ?? { at: 0, durationS: 0, samples: 0, rules: 0, intervalS: 0 };
      g[field] = Number(m[3]);
      out.set(m[2], g);
    }
  }
  return out;
}

/** A plain counter or gauge without labels (process_cpu_seconds_total). */
export function metricValue(metrics: string, name: string): number | undefined {
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics);
  return m ? Number(m[1]) : undefined;
}

/** Every distinct evaluation seen, per group. */
export class EvaluationLog {
  readonly byGroup = new Map<string, GroupReading[]>();

  add(readings: Map<string, GroupReading>) {
    for (const [group, r] of readings) {
      const seen = this.byGroup.get(group) ?? [];
      if (r.at > 0 && seen[seen.length - 1]?.at !== r.at) {
        seen.push(r);
      }
      this.byGroup.set(group, seen);
    }
  }
}

export interface RuleSetCost {
  groups: number;
  rules: number;
  evaluations: number; // evaluations seen, all groups together
  msPerMinute: number; // Σ over the set's groups of mean evaluation time × evaluations per minute
  medianMsPerMinute: number; // the same with each group's median evaluation time
  samplesPerMinute: number; // Σ of each group's median samples per evaluation × evaluations per minute
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? 0 : s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** The cost of the groups whose rule file is one of `files`; a group not evaluated yet costs nothing here. */
export function ruleSetCost(log: EvaluationLog, files: string[]): RuleSetCost {
  const groups = [...log.byGroup].filter(([g]) => files.includes(g.slice(0, g.indexOf(';'))));
  const evals = groups.map(([, rs]) => rs).filter((rs) => rs.length > 0);
  const perMinute = (rs: GroupReading[], f: (xs: number[]) => number, v: (r: GroupReading) => number) =>
    (f(rs.map(v)) * 60) / rs[rs.length - 1].intervalS;
  const total = (f: (rs: GroupReading[]) => number) => evals.reduce((s, rs) => s + f(rs), 0);
  return {
    groups: groups.length,
    rules: groups.reduce((n, [, rs]) => n + (rs[rs.length - 1]?.rules ?? 0), 0),
    evaluations: total((rs) => rs.length),
    msPerMinute: 1000 * total((rs) => perMinute(rs, mean, (r) => r.durationS)),
    medianMsPerMinute: 1000 * total((rs) => perMinute(rs, median, (r) => r.durationS)),
    samplesPerMinute: total((rs) => perMinute(rs, median, (r) => r.samples)),
  };
}
