/** Test helpers: a fake Grafana backend answering the Prometheus resource paths from fixtures. */
import React from 'react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { of, throwError } from 'rxjs';
import { render } from '@testing-library/react';
import type { PromRulesData, PromSeries } from '../api/types';
import { SettingsContext } from '../components/settingsContext';

export interface FakeProm {
  rules?: PromRulesData;
  /** value of the ratio by series: key `${slo}/${window}` */
  ratios?: Record<string, number>;
  period?: Record<string, number | 'NaN'>;
  /** Valid events of the low-traffic guard, key `${slo}/${window}` (answered with the period query). */
  validEvents?: Record<string, number>;
  /** ALERTS / ALERTS_FOR_STATE samples answered to the alert-history query (a range-vector instant query). */
  alertSeries?: PromSeries[];
  /** GET /api/annotations answers these; POST /api/annotations appends what it is sent (with an id). */
  annotations?: Array<Record<string, unknown>>;
  /** The status a read of /api/annotations fails with. */
  annotationReadStatus?: number;
  /** The status a write to /api/annotations fails with (403: a Viewer). */
  annotationWriteStatus?: number;
  /**
   * Answers to pinned window-count queries (label slo_window_key: report periods, corrections), key
   * `${slo}/${window key}/${bad|valid}`; only the keys the query names are answered.
   */
  windowCounts?: Record<string, number>;
  down?: boolean;
  /** The joined period query fails (partial data). */
  failPeriod?: boolean;
  calls: string[];
}

/** The fake Prometheus the page tests share: each test file resets it in beforeEach. */
export const prom: FakeProm = { calls: [] };

/**
 * @grafana/runtime for page tests: the real module, with getBackendSrv answering from `prom` and PluginPage as a
 * plain container. A hoisted jest.mock factory may only reach other modules through require:
 * `jest.mock('@grafana/runtime', () => jest.requireActual('./testHelpers').runtimeMock())`.
 */
export function runtimeMock() {
  return {
    ...jest.requireActual('@grafana/runtime'),
    getBackendSrv: () => ({ fetch: (req: { url: string; method?: string; data?: unknown }) => fakeFetch(prom)(req) }),
    PluginPage: ({ children, actions }: { children: React.ReactNode; actions?: React.ReactNode }) => (
      <div>
        {actions}
        {children}
      </div>
    ),
  };
}

export function fakeFetch(p: FakeProm) {
  return (req: { url: string; data?: unknown; method?: string }) => {
    p.calls.push(req.url);
    if (req.url.startsWith('/api/annotations')) {
      return fakeAnnotations(p, req);
    }
    if (p.down) {
      return throwError(() => ({
        status: 502,
        data: { message: 'dial tcp 127.0.0.1:9090: connect: connection refused' },
      }));
    }
    const url = new URL(req.url, 'http://x');
    const query = url.searchParams.get('query') ?? new URLSearchParams(String(req.data ?? '')).get('query') ?? '';
    const ok = (data: unknown) => of({ status: 200, data: { status: 'success', data } });
    if (url.pathname.endsWith('/rules')) {
      return ok(p.rules ?? { groups: [] });
    }
    if (url.pathname.endsWith('/query_range')) {
      return ok({ resultType: 'matrix', result: [] });
    }
    if (query.includes('ALERTS')) {
      return ok({ resultType: 'matrix', result: p.alertSeries ?? [] });
    }
    if (query.startsWith('{__name__')) {
      return ok({
        resultType: 'vector',
        result: Object.entries(p.ratios ?? {}).map(([k, v]) => {
          const [slo, w] = k.split('/');
          return { metric: { __name__: `slo:sli_error:ratio_rate${w}`, slo }, value: [0, String(v)] };
        }),
      });
    }
    if (p.windowCounts && query.includes('slo_window_key')) {
      return ok({
        resultType: 'vector',
        result: Object.entries(p.windowCounts)
          .map(([k, v]) => [k.split('/'), v] as const)
          .filter(([[slo, key]]) => query.includes(`"slo", "${slo}"`) && query.includes(`"slo_window_key", "${key}"`))
          .map(([[slo, key, part], v]) => ({
            metric: { slo, slo_window_key: key, slo_part: part },
            value: [0, String(v)],
          })),
      });
    }
    if (p.failPeriod) {
      return throwError(() => ({ status: 422, data: { error: 'query processing would load too many samples' } }));
    }
    const counts = query.includes('slo_valid_window') ? Object.entries(p.validEvents ?? {}) : [];
    return ok({
      resultType: 'vector',
      result: [
        ...Object.entries(p.period ?? {}).map(([slo, v]) => ({ metric: { slo }, value: [0, String(v)] })),
        ...counts.map(([k, v]) => {
          const [slo, w] = k.split('/');
          return { metric: { slo, slo_valid_window: w }, value: [0, String(v)] };
        }),
      ],
    });
  };
}

/** Grafana's annotations API as far as corrections use it: list, create, delete. */
function fakeAnnotations(p: FakeProm, req: { url: string; data?: unknown; method?: string }) {
  const list = (p.annotations ??= []);
  if (!req.method || req.method === 'GET') {
    if (p.annotationReadStatus) {
      return throwError(() => ({ status: p.annotationReadStatus, data: { message: 'database is locked' } }));
    }
    return of({ status: 200, data: list });
  }
  if (p.annotationWriteStatus) {
    return throwError(() => ({ status: p.annotationWriteStatus, data: { message: 'You are not allowed' } }));
  }
  if (req.method === 'POST') {
    const id = list.length + 1;
    list.push({ ...(req.data as Record<string, unknown>), id, login: 'editor', created: 0 });
    return of({ status: 200, data: { message: 'Annotation added', id } });
  }
  const id = Number(req.url.split('/').pop());
  p.annotations = list.filter((a) => a.id !== id);
  return of({ status: 200, data: { message: 'Annotation deleted' } });
}

export function renderAt(
  path: string,
  route: string,
  element: React.ReactElement,
  settings = { prometheusUid: 'prom' }
) {
  return render(
    <SettingsContext.Provider value={settings}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path={route} element={element} />
        </Routes>
      </MemoryRouter>
    </SettingsContext.Provider>
  );
}
