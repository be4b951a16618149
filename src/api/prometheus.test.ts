import { NEVER, Observable, of, throwError } from 'rxjs';
import { PrometheusError, errorText, isCancelled } from './errors';
import { BackendSrvLike, PrometheusClient } from './prometheus';

type Req = Parameters<BackendSrvLike['fetch']>[0];

function srv(respond: (req: Req) => Observable<{ data: unknown; status: number }>) {
  const calls: Req[] = [];
  const s: BackendSrvLike = {
    fetch: <T>(req: Req) => {
      calls.push(req);
      return respond(req) as Observable<{ data: T; status: number }>;
    },
  };
  return { s, calls };
}

const ok = (data: unknown) => of({ status: 200, data: { status: 'success', data } });

describe('PrometheusClient', () => {
  it('needs a data source uid, and says where to set it', () => {
    expect(() => new PrometheusClient('', srv(() => NEVER).s)).toThrow(/app configuration/);
  });

  it('queries through the data source resources with GET', async () => {
    const { s, calls } = srv(() => ok({ resultType: 'vector', result: [{ metric: { slo: 'a' }, value: [1, '0.5'] }] }));
    const c = new PrometheusClient('prom', s);
    const r = await c.query('up', { time: 1700000000000 });
    expect(r).toEqual([{ metric: { slo: 'a' }, value: [1, '0.5'] }]);
    expect(calls[0].method).toBe('GET');
    expect(calls[0].url).toBe('/api/datasources/uid/prom/resources/api/v1/query?query=up&time=1700000000');
    expect(calls[0].showErrorAlert).toBe(false);
  });

  it('sends very long queries as a form POST', async () => {
    const { s, calls } = srv(() => ok({ resultType: 'vector', result: [] }));
    await new PrometheusClient('prom', s).query('x'.repeat(7000));
    expect(calls[0].method).toBe('POST');
    expect(calls[0].headers).toEqual({ 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(String(calls[0].data)).toMatch(/^query=xxx/);
  });

  it('range queries pass start/end in seconds and step', async () => {
    const { s, calls } = srv(() => ok({ resultType: 'matrix', result: [] }));
    await new PrometheusClient('prom', s).queryRange('up', 1000, 61000, 15);
    expect(calls[0].url).toContain('query_range?query=up&start=1&end=61&step=15');
  });

  it('counts requests for the benchmark', async () => {
    const seen: string[] = [];
    const { s } = srv(() => ok({ groups: [] }));
    await new PrometheusClient('prom', s, { onRequest: (p) => seen.push(p) }).rules();
    expect(seen).toEqual(['rules']);
  });

  it.each([
    [502, 'unreachable', /unreachable.*Check that Prometheus is running/],
    [0, 'unreachable', /unreachable/],
    [400, 'bad-query', /rejected the burn rates query: parse error/],
    [403, 'forbidden', /Not allowed/],
    [404, 'not-configured', /pick the Prometheus data source again/],
    [500, 'http', /HTTP 500/],
  ])('HTTP %p becomes a %p error that says what broke', async (status, kind, text) => {
    const { s } = srv(() => throwError(() => ({ status, data: { error: 'parse error' } })));
    const err = await new PrometheusClient('prom', s).query('up', { what: 'burn rates' }).catch((e) => e);
    expect(err).toBeInstanceOf(PrometheusError);
    expect(err.kind).toBe(kind);
    expect(errorText(err)).toMatch(text);
  });

  it('an error envelope from Prometheus is reported with its message', async () => {
    const { s } = srv(() =>
      of({ status: 200, data: { status: 'error', errorType: 'bad_data', error: 'unknown function' } })
    );
    await expect(new PrometheusClient('prom', s).query('foo(', { what: 'budget' })).rejects.toMatchObject({
      kind: 'bad-query',
      message: 'Prometheus could not answer the budget query: unknown function.',
    });
  });

  it('JSON of another shape is a bad answer, never an empty one (no rules would blank the page)', async () => {
    const c = new PrometheusClient('prom', srv(() => ok({ resultType: 'vector', result: 'not a list' })).s);
    await expect(c.rules()).rejects.toMatchObject({ kind: 'bad-response', message: /without a list of rule groups/ });
    await expect(c.query('up')).rejects.toMatchObject({ kind: 'bad-response', message: /without a list of samples/ });
    const m = new PrometheusClient('prom', srv(() => ok({ resultType: 'matrix', result: {} })).s);
    await expect(m.queryRange('up', 0, 1000, 60)).rejects.toMatchObject({ kind: 'bad-response' });
    await expect(m.queryMatrix('up[5m]')).rejects.toMatchObject({ kind: 'bad-response' });
  });

  it('times out and unsubscribes (which aborts the HTTP call)', async () => {
    jest.useFakeTimers();
    let unsubscribed = false;
    const { s } = srv(() => new Observable(() => () => (unsubscribed = true)));
    const p = new PrometheusClient('prom', s, { timeoutMs: 1000 }).rules();
    jest.advanceTimersByTime(1001);
    await expect(p).rejects.toMatchObject({
      kind: 'timeout',
      message: expect.stringMatching(/within 1 s while loading the SLO rules/),
    });
    expect(unsubscribed).toBe(true);
    jest.useRealTimers();
  });

  it('an AbortSignal cancels the request', async () => {
    let unsubscribed = false;
    const { s } = srv(() => new Observable(() => () => (unsubscribed = true)));
    const ctl = new AbortController();
    const p = new PrometheusClient('prom', s).rules({ signal: ctl.signal });
    ctl.abort();
    const err = await p.catch((e) => e);
    expect(isCancelled(err)).toBe(true);
    expect(unsubscribed).toBe(true);
  });

  it('an already aborted signal sends nothing', async () => {
    const { s, calls } = srv(() => NEVER);
    const ctl = new AbortController();
    ctl.abort();
    await expect(new PrometheusClient('prom', s).rules({ signal: ctl.signal })).rejects.toMatchObject({
      kind: 'cancelled',
    });
    expect(calls).toHaveLength(0);
  });
});
