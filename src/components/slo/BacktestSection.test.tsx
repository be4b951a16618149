import React from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { of } from 'rxjs';
import { PrometheusClient, type BackendSrvLike } from '../../api/prometheus';
import { discoverSlos } from '../../slo/discovery';
import { rulesFromFile } from '../../slo/testdata/fixtures';
import { BacktestSection, whatIfOptions } from './BacktestSection';

const slo = discoverSlos(rulesFromFile()).find((s) => s.id === 'payment-success')!;

/**
 * A Prometheus stand-in for the section's range queries: a one-hour burst of failed orders that started 3 days ago.
 * The counts query answers 1000 orders per 5 minutes, 300 of them failed in the burst; the fast tier's condition
 * (recognised by its padded 1h window, 3750s) holds from 10 minutes into the burst until 5 minutes after it; the
 * slow tier's never does. Samples per hour (the density query): 12 = a backfilled 5-minute history, 720 = scrapes.
 */
function burstProm(samplesPerHour = 12) {
  const queries: string[] = [];
  const now = Math.floor(Date.now() / 1000 / 300) * 300;
  const burst = { start: now - 3 * 86400, end: now - 3 * 86400 + 3600 };
  const srv: BackendSrvLike = {
    fetch: <T,>(req: { url: string; data?: unknown }) => {
      const url = new URL(req.url, 'http://x');
      const p = Object.fromEntries(new URLSearchParams(url.search || String(req.data ?? '')));
      queries.push(p.query);
      const grid: number[] = [];
      for (let t = Math.ceil(Number(p.start) / 300) * 300; t <= Number(p.end); t += Number(p.step)) {
        grid.push(t);
      }
      const inBurst = (t: number) => t > burst.start && t <= burst.end;
      let result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> = [];
      if (p.query.startsWith('max(count_over_time(')) {
        result = [{ metric: {}, values: grid.map((t) => [t, String(samplesPerHour)] as [number, string]) }];
      } else if (p.query.includes('slo_part')) {
        result = ['bad', 'valid'].map((part) => ({
          metric: { slo: slo.id, slo_part: part },
          values: grid.map((t) => [t, part === 'valid' ? '1000' : inBurst(t) ? '300' : '0'] as [number, string]),
        }));
      } else if (p.query.includes('[3750s]') || (samplesPerHour > 13 && /\[1h\][\s\S]*\[5m\]/.test(p.query))) {
        const on = grid.filter((t) => t >= burst.start + 600 && t <= burst.end + 300);
        result = [{ metric: {}, values: on.map((t) => [t, '0.3'] as [number, string]) }];
      }
      return of({ status: 200, data: { status: 'success', data: { resultType: 'matrix', result } } as T });
    },
  };
  return { client: new PrometheusClient('prom', srv), queries, burst };
}

describe('BacktestSection', () => {
  it('replays the deployed tiers and reports alerts, detection, reset, precision and recall', async () => {
    const { client, queries } = burstProm();
    render(<BacktestSection slo={slo} promUid="prom" client={client} />);
    await userEvent.click(screen.getByRole('button', { name: /replay/i }));
    const report = await screen.findByTestId('backtest-report');
    const fast = within(report).getByTestId('backtest-tier-FastBurn');
    // 1 alert, 100 % precision, 100 % recall; `for: 2m` at a 5-minute step fires one step after the condition.
    expect(fast).toHaveTextContent(/FastBurn\s*14\.4×\s*1h \+ 5m\s*2m\s*≥ 14 events\s*1\s*100 %\s*100 %/);
    expect(within(report).getByTestId('backtest-tier-SlowBurn')).toHaveTextContent(/0\s*n\/a\s*0 %/);
    const [incident] = within(report).getAllByTestId('backtest-incident');
    // 3600 failed orders; 30 days at 1000 per 5 min = 8.64 M valid, 0.5 % of it = 43 200: 8.3 % of the budget.
    // Fired 15 min in, resolved 10 min after the end (the first evaluation where the condition no longer held).
    expect(incident).toHaveTextContent(/1h\s*8\.3 %\s*\+15m \/ \+10m\s*no alert/);
    expect(report).toHaveTextContent('The deployed alert rules, objective 99.50 %');
    const alerts = within(report).getByTestId('backtest-alerts-FastBurn');
    expect(alerts).toHaveTextContent('FastBurn: 1 alert and the replayed expression');
    expect(alerts).toHaveTextContent(/fired \d{4}-\d\d-\d\d \d\d:\d\d UTC, resolved after 55m/);
    expect(within(alerts).getByText('Open in Explore').getAttribute('href')).toMatch(/^\/explore\?/);
    // Every range of the replayed rules is widened by half a 5-minute step; 90 days = 3 chunks per query.
    expect(queries.filter((q) => q.includes('[3750s]'))).toHaveLength(3);
    expect(queries.some((q) => q.includes('slo:sli_error'))).toBe(false);
  });

  it('on scraped data (no sparse hour) the windows stay exact', async () => {
    const { client, queries } = burstProm(720);
    render(<BacktestSection slo={slo} promUid="prom" client={client} />);
    await userEvent.click(screen.getByRole('button', { name: /replay/i }));
    const fast = await screen.findByTestId('backtest-tier-FastBurn');
    expect(fast).toHaveTextContent(/2m\s*≥ 14 events\s*1\s*100 %\s*100 %/);
    expect(queries[0]).toMatch(/^max\(count_over_time\(http_requests_total\{[^}]*\}\[1h\]\)\)$/);
    expect(queries.some((q) => /\[[0-9]+s\]/.test(q))).toBe(false);
    expect(screen.getByTestId('backtest-alerts-FastBurn')).not.toHaveTextContent('Over the 5-minute history');
  });

  it('refuses a what-if objective that is not a percentage, without querying', async () => {
    const { client, queries } = burstProm();
    render(<BacktestSection slo={slo} promUid="prom" client={client} />);
    await userEvent.type(screen.getByLabelText('What-if objective'), '100');
    await userEvent.click(screen.getByRole('button', { name: /replay/i }));
    expect(await screen.findByText(/a percentage above 0 and below 100/)).toBeInTheDocument();
    expect(queries).toHaveLength(0);
  });
});

describe('whatIfOptions', () => {
  it('the deployed policy as is: no what-if', () => {
    expect(whatIfOptions(slo, { objectivePercent: '', tiers: ['FastBurn', 'SlowBurn'] })).toEqual({
      objective: undefined,
      tiers: undefined,
    });
    expect(whatIfOptions(slo, { objectivePercent: '99.5', tiers: ['SlowBurn', 'FastBurn'] })).toEqual({
      objective: undefined,
      tiers: undefined,
    });
  });
  it('another objective or tier set: tiers rebuilt without the deployed expression', () => {
    const got = whatIfOptions(slo, { objectivePercent: '99,9', tiers: ['FastBurn', 'Burn24h'] });
    expect(got).toEqual({
      objective: 0.999,
      tiers: [
        { name: 'FastBurn', burnRate: 14.4, longSeconds: 3600, shortSeconds: 300, forSeconds: 120 },
        { name: 'Burn24h', burnRate: 3, longSeconds: 86400, shortSeconds: 7200, forSeconds: 3600 },
      ],
    });
    expect(whatIfOptions(slo, { objectivePercent: '', tiers: [] })).toEqual({ error: 'Pick at least one tier.' });
  });
});
