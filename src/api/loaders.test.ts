import path from 'path';
import {
  burndown,
  discoverSlos,
  guardWindows,
  VALID_WINDOW_LABEL,
  monthResult,
  parseMonthKey,
  PART_LABEL,
  RAW_WINDOW_LABEL,
  SLO_LABEL,
  toPromDuration,
  WINDOW_LABEL,
} from '../slo';
import { localDays, parsePeriod } from '../slo/periods';
import { BUDGET_PIECE_LABEL, BUDGET_WINDOW_LABEL, bucketPlan } from '../slo/hourlyBudget';
import { rulesFromFile, rulesFromFiles } from '../slo/testdata/fixtures';
import { loadDetail, loadOverview, loadReport, resetBucketShape } from './loaders';
import type { PrometheusClient } from './prometheus';
import type { PromSample, PromSeries } from './types';

// A Prometheus whose recording rules start recording 2 h into a 6 h range: the detail loader completes the head
// from the rules' expressions over the raw counters, with one more request, and keeps the recorded samples.
const slo = discoverSlos(rulesFromFile()).find((s) => s.id === 'api-availability')!;
const FROM = 1_700_000_000_000;
const TO = FROM + 6 * 3600_000;
const STEP = 120; // stepFor(6 h): 300 points
const grid = (from: number, to: number, v: number) => {
  const out: Array<[number, string]> = [];
  for (let t = from; t <= to; t += STEP * 1000) {
    out.push([t / 1000, String(v)]);
  }
  return out;
};

function fakeClient(opts: { rulesFrom: number; rawFails?: boolean; alerts?: PromSeries[]; totals?: PromSample[] }) {
  const calls: string[] = [];
  const client = {
    queryMatrix: async (q: string): Promise<PromSeries[]> => {
      calls.push(q);
      return opts.alerts ?? [];
    },
    query: async (q: string): Promise<PromSample[]> => {
      calls.push(q);
      return opts.totals ?? [];
    },
    queryRange: async (q: string, from: number, to: number): Promise<PromSeries[]> => {
      calls.push(q);
      if (q.startsWith('{__name__=~"slo:sli_error:ratio_rate')) {
        return ['1h', '6h'].map((w) => ({
          metric: { __name__: `slo:sli_error:ratio_rate${w}`, slo: slo.id },
          values: grid(opts.rulesFrom, to, 0.01),
        }));
      }
      if (q.includes(RAW_WINDOW_LABEL)) {
        if (opts.rawFails) {
          throw new Error('Prometheus timed out');
        }
        return ['1h', '6h'].map((w) => ({ metric: { [RAW_WINDOW_LABEL]: w }, values: grid(from, to, 0.02) }));
      }
      return [];
    },
  };
  return { client: client as unknown as PrometheusClient, calls };
}

describe('loadDetail: recorded ratios that start late', () => {
  test('the head comes from the raw counters, the rest stays recorded; one more request', async () => {
    const rulesFrom = FROM + 2 * 3600_000;
    const { client, calls } = fakeClient({ rulesFrom });
    const d = await loadDetail(client, slo, FROM, TO);
    expect(d.step).toBe(STEP);
    expect(d.rawUntil).toBe(rulesFrom - STEP * 1000);
    const h1 = d.ratios['1h']!;
    expect(h1[0]).toEqual({ t: FROM, v: 0.02 });
    expect(h1.filter((p) => p.t < rulesFrom).every((p) => p.v === 0.02)).toBe(true);
    expect(h1.filter((p) => p.t >= rulesFrom).every((p) => p.v === 0.01)).toBe(true);
    expect(new Set(h1.map((p) => p.t)).size).toBe(h1.length); // no step twice
    expect(calls.filter((q) => q.includes(RAW_WINDOW_LABEL))).toHaveLength(1);
    expect(d.problems).toEqual([]);
  });

  test('recorded from the start: no extra request', async () => {
    const { client, calls } = fakeClient({ rulesFrom: FROM });
    const d = await loadDetail(client, slo, FROM, TO);
    expect(d.rawUntil).toBeUndefined();
    expect(calls.some((q) => q.includes(RAW_WINDOW_LABEL))).toBe(false);
  });

  test('a failing raw query is a partial-data problem, and the recorded part still shows', async () => {
    const { client } = fakeClient({ rulesFrom: FROM + 3 * 3600_000, rawFails: true });
    const d = await loadDetail(client, slo, FROM, TO);
    expect(d.rawUntil).toBeUndefined();
    expect(d.problems.join(' ')).toMatch(/timed out/);
    expect(d.ratios['1h']![0].t).toBe(FROM + 3 * 3600_000);
  });
});

describe('loadDetail: p95 of a latency SLO', () => {
  const latency = discoverSlos(rulesFromFile()).find((s) => s.kind === 'latency')!;

  test.each([
    ['6 h', 6 * 3600_000, '[7m]'],
    ['30 days', 30 * 86400_000, `[${toPromDuration(8640 + 300)}]`],
  ])('over %s each point covers its step plus one 5 min sample', async (_, span, range) => {
    const { client, calls } = fakeClient({ rulesFrom: FROM });
    await loadDetail(client, latency, TO - span, TO);
    const p95 = calls.find((q) => q.startsWith('histogram_quantile(0.95'));
    expect(p95).toContain(range);
  });
});

describe('loadDetail: landing from an alert on a 70-minute range', () => {
  const to = TO;
  const from = to - 70 * 60_000;
  const fired = from + 60 * 60_000;
  const alerts: PromSeries[] = [
    {
      metric: { __name__: 'ALERTS', alertname: 'APIAvailabilitySLOFastBurn', alertstate: 'firing', slo: slo.id },
      values: Array.from({ length: 61 }, (_, i) => [(fired + i * 5000) / 1000, '1'] as [number, string]),
    },
  ];
  const total = (key: string, part: string, v: number): PromSample => ({
    metric: { slo: slo.id, slo_part: part, slo_window_key: key },
    value: [to / 1000, String(v)],
  });
  const totals = [
    total('from', 'bad', 100),
    total('from', 'valid', 100000),
    total('to', 'bad', 150),
    total('to', 'valid', 100000),
  ];

  test('the alert history comes from one range-vector query; the budget covers the window ending at the range end', async () => {
    const { client, calls } = fakeClient({ rulesFrom: from, alerts, totals });
    const d = await loadDetail(client, slo, from, to);
    expect(d.problems).toEqual([]);
    expect(d.history).toHaveLength(1);
    expect(d.history![0]).toMatchObject({
      alert: 'APIAvailabilitySLOFastBurn',
      firedAt: fired,
      resolvedAt: fired + 305_000,
    });
    expect(calls.filter((q) => q.includes('ALERTS'))).toEqual([
      // 70 minutes plus 5 past the end: an alert resolved at the range end (Alertmanager's EndsAt) reads resolved.
      '{__name__=~"ALERTS|ALERTS_FOR_STATE", slo="api-availability"}[4500s]',
    ]);
    // 30 days of hourly points before the range end, instead of the one hourly point inside 70 minutes.
    expect(d.budgetFromMs).toBe(to - 30 * 86400_000);
    expect(d.budgetAtEnds!.from).toBeCloseTo(0.8, 9);
    expect(d.budgetAtEnds!.to).toBeCloseTo(0.7, 9);
    expect(calls.find((q) => q.includes('slo_window_key'))).toContain(`[30d] @ ${from / 1000}`);
  });

  test('a range that ends where the alert resolved (EndsAt) reads it as resolved', async () => {
    const { client } = fakeClient({ rulesFrom: from, alerts, totals });
    const d = await loadDetail(client, slo, from, fired + 305_000);
    expect(d.history![0].resolvedAt).toBe(fired + 305_000);
  });

  test('a day or more: the budget chart keeps the range and no range-end query is made', async () => {
    const { client, calls } = fakeClient({ rulesFrom: to - 86400_000 });
    const d = await loadDetail(client, slo, to - 86400_000, to);
    expect(d.budgetFromMs).toBe(to - 86400_000);
    expect(d.budgetAtEnds).toBeUndefined();
    expect(calls.some((q) => q.includes('slo_window_key'))).toBe(false);
    expect(d.history).toEqual([]);
  });
});

describe('loadOverview while Prometheus is down', () => {
  it('leaves no unhandled rejection when the burn rates fail before the rules answer (one per refresh, before)', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const down = new Error('Prometheus is unreachable');
      const client = {
        query: () => Promise.reject(down),
        rules: () => new Promise((_, reject) => setTimeout(() => reject(down), 20)),
      } as unknown as PrometheusClient;
      await expect(loadOverview(client)).rejects.toBe(down);
      // Node reports unhandled rejections after the microtask queue drains: give it a turn.
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('loadOverview with the bucket budget rules loaded', () => {
  const PROV = path.join(__dirname, '../../provisioning/prometheus');
  const rules = rulesFromFiles([path.join(PROV, 'slo.yml'), path.join(PROV, 'slo-budget.yml')]);
  const slos = discoverSlos(rules);
  const ids = slos.map((s) => s.id);
  const now = Date.UTC(2026, 11, 4, 16, 27);
  const plan = bucketPlan(now / 1000, 30 * 86400)!;
  const piece = (id: string, p: string, v: number): PromSample => ({
    metric: { [SLO_LABEL]: id, [BUDGET_PIECE_LABEL]: p, [BUDGET_WINDOW_LABEL]: String(30 * 86400) },
    value: [now / 1000, String(v)],
  });

  function bucketClient(answered: string[]) {
    const calls: string[] = [];
    const client = {
      rules: async () => rules,
      query: async (q: string): Promise<PromSample[]> => {
        calls.push(q);
        if (q.includes(BUDGET_PIECE_LABEL)) {
          // each request answers the parts it asks for (bad, or valid with the guard counts)
          const has = (p: string) => q.includes(`"${p}"`);
          return answered.flatMap((id) => [
            ...(has('bad_events') ? [piece(id, 'bad_events', 5), piece(id, 'bad_count', plan.buckets)] : []),
            ...(has('valid_events') ? [piece(id, 'valid_events', 1000), piece(id, 'valid_count', plan.buckets)] : []),
            // the guard windows' counts (present only when complete)
            ...(q.includes(VALID_WINDOW_LABEL)
              ? guardWindows(slos.find((x) => x.id === id)!).map((w) => ({
                  metric: { [SLO_LABEL]: id, [VALID_WINDOW_LABEL]: w },
                  value: [now / 1000, '400'] as [number, string],
                }))
              : []),
          ]);
        }
        // raw fallback: one ratio per SLO it names
        return ids
          .filter((id) => q.includes(`"${id}"`))
          .map((id) => ({ metric: { [SLO_LABEL]: id }, value: [now / 1000, '0.5'] as [number, string] }));
      },
    } as unknown as PrometheusClient;
    return { client, calls };
  }

  it('reads every budget from the buckets in two side-by-side requests naming no SLO: 4 requests in all', async () => {
    resetBucketShape();
    const { client, calls } = bucketClient(ids);
    const o = await loadOverview(client, undefined, now);
    expect(calls).toHaveLength(3); // + rules
    const budget = calls.filter((q) => q.includes(BUDGET_PIECE_LABEL));
    expect(budget).toHaveLength(2);
    expect(budget.some((q) => ids.some((id) => q.includes(`"${id}"`)))).toBe(false);
    // bad events in one, valid events with the guard counts in the other
    expect(budget.map((q) => [q.includes('"bad_events"'), q.includes('"valid_events"')])).toEqual([
      [true, false],
      [false, true],
    ]);
    for (const id of ids) {
      expect(o.status.get(id)!.periodErrorRatio).toBe(5 / 1000);
      expect(o.status.get(id)!.budgetAsOf).toBe(plan.asOf * 1000);
      expect(o.status.get(id)!.validEvents).toEqual({ '1h': 400, '6h': 400 });
    }
  });

  it('from the second load on, the budget requests go out with the rules, not after them (still 4 requests)', async () => {
    resetBucketShape();
    const { client, calls } = bucketClient(ids);
    let rulesAsked = 0;
    let beforeRules = 0;
    const withRules = {
      ...client,
      query: (q: string) => client.query(q),
      rules: async () => {
        rulesAsked++;
        await new Promise((r) => setTimeout(r, 20));
        beforeRules = calls.filter((q) => q.includes(BUDGET_PIECE_LABEL)).length;
        return rules;
      },
    } as unknown as PrometheusClient;
    await loadOverview(withRules, undefined, now);
    expect(beforeRules).toBe(0); // first load: nothing known yet
    calls.length = 0;
    const o = await loadOverview(withRules, undefined, now + 60000);
    expect(rulesAsked).toBe(2);
    expect(beforeRules).toBe(2); // both budget requests were out while the rules downloaded
    expect(calls).toHaveLength(3); // + rules
    expect(o.status.get(ids[0])!.periodErrorRatio).toBe(5 / 1000);
  });

  it('an SLO with a missing bucket goes to the raw counters, alone, and says its budget runs to now', async () => {
    const { client, calls } = bucketClient(ids.slice(1));
    const o = await loadOverview(client, undefined, now);
    const raw = calls.filter((q) => !q.includes(BUDGET_PIECE_LABEL) && q.includes(`"${ids[0]}"`));
    expect(raw).toHaveLength(1);
    expect(raw[0]).not.toContain(`"${ids[1]}"`);
    expect(o.status.get(ids[0])!.periodErrorRatio).toBe(0.5);
    expect(o.status.get(ids[0])!.budgetAsOf).toBeUndefined();
    expect(o.status.get(ids[1])!.periodErrorRatio).toBe(5 / 1000);
  });
});

describe('loadReport: a month still running', () => {
  // 2026-11-30 13:30 UTC: 29 whole days and 13.5 h of the 30th.
  const month = parseMonthKey('2026-11')!;
  const now = Date.UTC(2026, 10, 30, 13, 30);
  const perDay = { valid: 10000, bad: 5 };
  const today = { valid: 6000, bad: 30 }; // the day under way used more budget than any whole day

  function reportClient() {
    const calls: string[] = [];
    const sample = (id: string, part: string, v: number, key?: string): PromSample => ({
      metric: { [SLO_LABEL]: id, [PART_LABEL]: part, ...(key ? { [WINDOW_LABEL]: key } : {}) },
      value: [now / 1000, String(v)],
    });
    const client = {
      rules: async () => rulesFromFile(),
      query: async (q: string): Promise<PromSample[]> => {
        calls.push(q);
        if (!q.includes(WINDOW_LABEL)) {
          // the month totals: 29 whole days and the running day
          return [
            sample(slo.id, 'valid', 29 * perDay.valid + today.valid),
            sample(slo.id, 'bad', 29 * perDay.bad + today.bad),
          ];
        }
        const running = /\[48600s\] @ 1796045400/.test(q); // 13.5 h ending now
        return running
          ? [sample(slo.id, 'valid', today.valid, 'running-day'), sample(slo.id, 'bad', today.bad, 'running-day')]
          : [];
      },
      queryRange: async (q: string, from: number, to: number, step: number): Promise<PromSeries[]> => {
        calls.push(q);
        // Buckets of `step` seconds (an hour): a day's events spread evenly over its buckets.
        const share = step / 86400;
        const values: Array<[number, string]> = [];
        for (let t = from; t <= to; t += step * 1000) {
          values.push([t / 1000, String(perDay.valid * share)]);
        }
        return [
          { metric: { [SLO_LABEL]: slo.id, [PART_LABEL]: 'valid' }, values },
          {
            metric: { [SLO_LABEL]: slo.id, [PART_LABEL]: 'bad' },
            values: values.map(([t]) => [t, String(perDay.bad * share)]),
          },
        ];
      },
    };
    return { client: client as unknown as PrometheusClient, calls };
  }

  test('the running day is one more bucket, ending now, asked in the history query (still 3 queries)', async () => {
    const { client, calls } = reportClient();
    const r = await loadReport(client, month, now);
    expect(calls).toHaveLength(3);
    expect(calls[2]).toContain('running-day');
    const days = r.daily.get(slo.id)!;
    expect(days.valid).toHaveLength(30);
    expect(days.valid[29]).toEqual({ t: now, v: today.valid });
    expect(days.bad[29]).toEqual({ t: now, v: today.bad });
  });

  test("the burn-down ends where the table's budget does", async () => {
    const { client } = reportClient();
    const r = await loadReport(client, month, now);
    const t = r.totals.get(slo.id)!;
    const table = monthResult(t.bad, t.valid, slo.objective, r.evalEnd - month.startMs);
    const days = r.daily.get(slo.id)!;
    const chart = burndown(days.bad, days.valid, slo.objective, month);
    expect(chart[chart.length - 1].t).toBe(now);
    expect(chart[chart.length - 1].remaining).toBeCloseTo(table.remaining!, 12);
  });

  test('a complete month has no running day', async () => {
    const { client, calls } = reportClient();
    const r = await loadReport(client, parseMonthKey('2026-10')!, now);
    expect(calls[2]).not.toContain('running-day');
    expect(r.daily.get(slo.id)!.valid.every((p) => p.t % 86400000 === 0)).toBe(true);
  });
});

describe('loadReport: a period in a time zone with a DST change', () => {
  // ISO week 43 of 2026 in Berlin: Monday 19 October 00:00 CEST to Monday 26 October 00:00 CET, 169 h.
  const week = parsePeriod('2026-W43', 'Europe/Berlin')!;

  function bucketClient() {
    const ranges: Array<{ q: string; from: number; to: number; step: number }> = [];
    const queries: string[] = [];
    const client = {
      rules: async () => rulesFromFile(),
      query: async (q: string): Promise<PromSample[]> => (queries.push(q), []),
      queryRange: async (q: string, from: number, to: number, step: number): Promise<PromSeries[]> => {
        ranges.push({ q, from, to, step });
        // One valid event per bucket, one bad event in the bucket ending at 02:00 UTC on 25 October.
        const valid: Array<[number, string]> = [];
        for (let t = from; t <= to; t += step * 1000) {
          valid.push([t / 1000, '1']);
        }
        const bad = valid.map(([t]): [number, string] => [t, t * 1000 === Date.UTC(2026, 9, 25, 2) ? '1' : '0']);
        return [
          { metric: { [SLO_LABEL]: slo.id, [PART_LABEL]: 'valid' }, values: valid },
          { metric: { [SLO_LABEL]: slo.id, [PART_LABEL]: 'bad' }, values: bad },
        ];
      },
    };
    return { client: client as unknown as PrometheusClient, ranges, queries };
  }

  test('hourly buckets start at the local midnight and sum into local days, the last one 25 h', async () => {
    const { client, ranges, queries } = bucketClient();
    const r = await loadReport(client, week, Date.UTC(2026, 11, 5));
    expect(ranges).toHaveLength(1);
    expect(ranges[0]).toMatchObject({ from: week.startMs + 3600000, to: week.endMs, step: 3600 });
    expect(ranges[0].q).toContain('[1h]');
    const days = r.daily.get(slo.id)!;
    expect(days.valid.map((p) => p.v)).toEqual([24, 24, 24, 24, 24, 24, 25]);
    expect(days.valid.map((p) => p.t)).toEqual(localDays(week).map((d) => d.endMs));
    // 02:00 UTC on the 25th is 03:00 CET, still Sunday the 25th in Berlin.
    expect(days.bad.map((p) => p.v)).toEqual([0, 0, 0, 0, 0, 0, 1]);
    // The totals span the period in seconds, @ its end; a complete period asks no forecast basis.
    expect(queries[0]).toContain(`[608400s] @ ${week.endMs / 1000}`);
    expect(queries[1]).not.toContain('last-24h');
    expect(r.historyPeriods.map((p) => p.key)).toEqual([
      '2026-W42',
      '2026-W41',
      '2026-W40',
      '2026-W39',
      '2026-W38',
      '2026-W37',
    ]);
  });

  test('a running period: whole local days by buckets, the day under way and the last 24 h as windows', async () => {
    const { client, ranges, queries } = bucketClient();
    const now = Date.UTC(2026, 9, 25, 12); // Sunday 13:00 CET
    const r = await loadReport(client, week, now);
    expect(ranges[0].to).toBe(Date.UTC(2026, 9, 24, 22)); // Sunday 00:00 CEST
    expect(queries[1]).toContain(`[50400s] @ ${now / 1000}`); // 14 h since the local midnight
    expect(queries[1]).toContain(`[86400s] @ ${now / 1000}`);
    expect(queries[1]).toContain('last-24h');
    expect(r.evalEnd).toBe(now);
  });
});
