import type { PromSeries } from '../api/types';
import { alertEpisodes, alertHistoryQuery, firingSeconds, lastEpisode } from './alertHistory';
import { discoverSlos } from './discovery';
import { RULES_FOUR_TIERS, rulesFromFiles, slothRules } from './testdata/fixtures';

// A 70-minute range as Alertmanager's link opens it (from = StartsAt − 1 h), rules evaluated every 5 s.
const FROM = 1_796_390_000_000;
const TO = FROM + 70 * 60_000;
const sec = (ms: number) => ms / 1000;
const labels = { alertname: 'PaymentSuccessSLOFastBurn', slo: 'payment-success', severity: 'page' };

/** Samples every 5 s from `a` to `b` (ms, inclusive). */
function every5s(a: number, b: number, v: (t: number) => string): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  for (let t = a; t <= b; t += 5000) {
    out.push([sec(t), v(t)]);
  }
  return out;
}

/** What Prometheus writes for one alert active from `active` (pending), firing from `fired`, last seen at `last`. */
function written(active: number, fired: number, last: number, from = FROM): PromSeries[] {
  const start = Math.max(active, from);
  return [
    {
      metric: { __name__: 'ALERTS', alertstate: 'pending', ...labels },
      values: every5s(start, fired - 5000, () => '1'),
    },
    {
      metric: { __name__: 'ALERTS', alertstate: 'firing', ...labels },
      values: every5s(Math.max(fired, from), last, () => '1'),
    },
    { metric: { __name__: 'ALERTS_FOR_STATE', ...labels }, values: every5s(start, last, () => String(sec(active))) },
  ].filter((s) => s.values.length);
}

const opts = { fromMs: FROM, toMs: TO, intervalSeconds: () => 5, forSeconds: () => 120 };

describe('alertEpisodes', () => {
  it('pending, fired, resolved inside the range: the times and how long it fired', () => {
    const active = FROM + 60 * 60_000 - 120_000;
    const fired = active + 120_000;
    const last = fired + 7 * 60_000;
    const [e] = alertEpisodes(written(active, fired, last), opts);
    expect(e).toEqual({
      alert: 'PaymentSuccessSLOFastBurn',
      activeAt: active,
      firedAt: fired,
      firedEstimated: false,
      resolvedAt: last + 5000,
      startedBefore: false,
    });
    expect(firingSeconds(e, TO)).toBe(7 * 60 + 5);
  });

  it('still firing at the range end: no resolve time, firing counted to the end', () => {
    const active = FROM + 10 * 60_000;
    const [e] = alertEpisodes(written(active, active + 120_000, TO), opts);
    expect(e.resolvedAt).toBeUndefined();
    expect(firingSeconds(e, TO)).toBe((TO - active - 120_000) / 1000);
  });

  it('already firing when the range began: activeAt from ALERTS_FOR_STATE, fired = activeAt + for', () => {
    const active = FROM - 3 * 3600_000;
    const [e] = alertEpisodes(written(active, active + 120_000, FROM + 5 * 60_000), opts);
    expect(e).toMatchObject({ activeAt: active, firedAt: active + 120_000, firedEstimated: true, startedBefore: true });
  });

  it('two alerts one after the other are two episodes; pending only never fired', () => {
    const a1 = FROM + 5 * 60_000;
    const a2 = FROM + 30 * 60_000;
    const series = [...written(a1, a1 + 120_000, a1 + 600_000), ...written(a2, a2 + 120_000, a2 + 300_000)];
    // Same labels: merge the two writes into one series per name, as Prometheus stores them.
    const merged = new Map<string, PromSeries>();
    for (const s of series) {
      const k = JSON.stringify(s.metric);
      merged.set(k, { metric: s.metric, values: [...(merged.get(k)?.values ?? []), ...s.values] });
    }
    const pendingOnly: PromSeries = {
      metric: { __name__: 'ALERTS', alertstate: 'pending', ...labels, alertname: 'PaymentSuccessSLOSlowBurn' },
      values: every5s(FROM + 40 * 60_000, FROM + 50 * 60_000, () => '1'),
    };
    const eps = alertEpisodes([...merged.values(), pendingOnly], opts);
    expect(eps.map((e) => [e.alert, e.activeAt, e.firedAt, e.resolvedAt])).toEqual([
      ['PaymentSuccessSLOFastBurn', a1, a1 + 120_000, a1 + 605_000],
      ['PaymentSuccessSLOFastBurn', a2, a2 + 120_000, a2 + 305_000],
      ['PaymentSuccessSLOSlowBurn', FROM + 40 * 60_000, undefined, FROM + 50 * 60_000 + 5000],
    ]);
    expect(firingSeconds(eps[2], TO)).toBeUndefined();
    expect(lastEpisode(eps, 'PaymentSuccessSLOFastBurn')?.activeAt).toBe(a2);
    expect(lastEpisode(eps, 'Nope')).toBeUndefined();
  });

  it('a gap with the same activeAt (Prometheus restarted and restored the alert) stays one episode', () => {
    const active = FROM + 60_000;
    const before = written(active, active + 120_000, FROM + 20 * 60_000);
    const after = written(active, active + 120_000, FROM + 40 * 60_000, FROM + 25 * 60_000);
    const key = (x: PromSeries) => JSON.stringify(x.metric);
    const series = before.map((s) => ({
      ...s,
      values: [...s.values, ...(after.find((a) => key(a) === key(s))?.values ?? [])],
    }));
    expect(alertEpisodes(series, opts)).toHaveLength(1);
  });

  it('nothing active: no episodes', () => {
    expect(alertEpisodes([], opts)).toEqual([]);
  });
});

describe('alertHistoryQuery', () => {
  it('one range-vector selector for both series of every alert of the SLO', () => {
    const [, , pay] = discoverSlos(rulesFromFiles([RULES_FOUR_TIERS]));
    expect(alertHistoryQuery(pay, FROM, TO)).toBe(
      '{__name__=~"ALERTS|ALERTS_FOR_STATE", slo="payment-success"}[4200s]'
    );
    // Past two days, a one-minute subquery bounds the answer (an alert firing for weeks at a 5 s evaluation).
    expect(alertHistoryQuery(pay, TO - 30 * 86400_000, TO)).toBe(
      '{__name__=~"ALERTS|ALERTS_FOR_STATE", slo="payment-success"}[2592000s:60s]'
    );
    const [sloth] = discoverSlos(slothRules());
    expect(alertHistoryQuery(sloth, FROM, TO)).toContain('sloth_id="myservice-requests-availability"');
  });
});
