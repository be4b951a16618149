import { Observable, of, throwError } from 'rxjs';
import { rulesFromFile } from '../../slo/testdata/fixtures';
import { testConnection } from './ConnectionTest';

let answer: (url: string) => Observable<unknown>;

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: (req: { url: string }) => answer(req.url) }),
}));

const ok = (data: unknown) => of({ status: 200, data: { status: 'success', data } });

describe('testConnection', () => {
  it('reports the Prometheus version, the SLOs found and the PG HA health', async () => {
    answer = (url) =>
      url.includes('buildinfo')
        ? ok({ version: '2.42.0' })
        : url.includes('/rules')
          ? ok(rulesFromFile())
          : of({ status: 200, data: { status: 'OK', message: 'monitor reachable, 2 nodes' } });
    const r = await testConnection('prom', 'pgha');
    expect(r.severity).toBe('success');
    expect(r.lines).toEqual([
      'Prometheus 2.42.0 answered through the data source.',
      '3 SLOs found: api-availability, api-latency, payment-success.',
      'Postgres HA: monitor reachable, 2 nodes',
    ]);
  });

  it('warns with the fix when Prometheus has no SLO rules', async () => {
    answer = (url) => (url.includes('buildinfo') ? ok({ version: '2.42.0' }) : ok({ groups: [] }));
    const r = await testConnection('prom');
    expect(r.severity).toBe('warning');
    expect(r.lines[1]).toBe('No SLO rules found: load provisioning/prometheus/slo.yml into Prometheus.');
  });

  it('says what broke when Prometheus is unreachable', async () => {
    answer = () => throwError(() => ({ status: 502, data: { message: 'connection refused' } }));
    const r = await testConnection('prom');
    expect(r.severity).toBe('error');
    expect(r.lines[0]).toMatch(/unreachable.*connection refused/);
  });

  it('warns with the fix when the alert links point at another Grafana', async () => {
    answer = (url) => (url.includes('buildinfo') ? ok({ version: '2.42.0' }) : ok(rulesFromFile()));
    const here = await testConnection('prom', undefined, 'http://127.0.0.1:3000');
    expect(here.severity).toBe('success');
    const there = await testConnection('prom', undefined, 'https://grafana.veza.io');
    expect(there.severity).toBe('warning');
    expect(there.lines[2]).toMatch(
      /^\d+ alert links point elsewhere \(e\.g\. http:\/\/127\.0\.0\.1:3000\/a\/veza-slo-app\/.*\): regenerate the rules with npm run rules -- --grafana-url https:\/\/grafana\.veza\.io/
    );
  });
});
