import { of, throwError } from 'rxjs';
import {
  AnnotationsError,
  canWriteCorrections,
  createCorrection,
  CORRECTIONS_LIMIT,
  deleteCorrection,
  loadCorrections,
} from './annotations';
import type { BackendSrvLike } from './prometheus';

/** A fake Grafana at the network boundary: records each request and answers or fails like getBackendSrv().fetch. */
function fakeSrv(answer: (req: { url: string; method?: string; data?: unknown }) => unknown) {
  const calls: Array<{ url: string; method?: string; data?: unknown }> = [];
  const srv = {
    fetch: (req: { url: string; method?: string; data?: unknown }) => {
      calls.push(req);
      try {
        return of({ status: 200, data: answer(req) });
      } catch (e) {
        return throwError(() => e);
      }
    },
  } as unknown as BackendSrvLike;
  return { srv, calls };
}

const annotation = {
  id: 7,
  time: 1000,
  timeEnd: 61000,
  tags: ['veza-slo-correction', 'kind:maintenance', 'slo:payment-success'],
  text: 'DB upgrade',
  login: 'ed',
  created: 500,
};

describe('corrections through the annotations API', () => {
  test('read: one GET with the tag, the type, the window and a limit; corrections out', async () => {
    const { srv, calls } = fakeSrv(() => [annotation, { ...annotation, id: 8, tags: ['deploy'] }]);
    const r = await loadCorrections(0, 86400000, srv);
    expect(calls).toHaveLength(1);
    const url = new URL(calls[0].url, 'http://grafana');
    expect(url.pathname).toBe('/api/annotations');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      tags: 'veza-slo-correction',
      type: 'annotation',
      from: '0',
      to: '86400000',
      limit: String(CORRECTIONS_LIMIT),
    });
    expect(r.truncated).toBe(false);
    expect(r.corrections).toEqual([
      {
        id: 'a:7',
        sloIds: ['payment-success'],
        from: 1000,
        to: 61000,
        kind: 'maintenance',
        reason: 'DB upgrade',
        author: 'ed',
        createdAt: 500,
      },
    ]);
  });

  test('read: a full answer is flagged as possibly truncated', async () => {
    const { srv } = fakeSrv(() => Array.from({ length: CORRECTIONS_LIMIT }, (_, i) => ({ ...annotation, id: i })));
    expect((await loadCorrections(0, 1, srv)).truncated).toBe(true);
  });

  test('read failure says what broke and that the figures are raw', async () => {
    const { srv } = fakeSrv(() => {
      throw { status: 500, data: { message: 'database is locked' } };
    });
    await expect(loadCorrections(0, 1, srv)).rejects.toThrow(
      "Could not read the corrections: Grafana's annotations API answered HTTP 500 (database is locked). The figures below are the raw ones."
    );
  });

  test('create: a region annotation with the tags and the reason as text', async () => {
    const { srv, calls } = fakeSrv(() => ({ message: 'Annotation added', id: 12 }));
    const id = await createCorrection(
      {
        kind: 'accepted-incident',
        sloIds: ['api-latency', 'payment-success'],
        from: 1000.4,
        to: 2000.2,
        reason: ' CDN outage ',
      },
      srv
    );
    expect(id).toBe(12);
    expect(calls[0]).toMatchObject({
      url: '/api/annotations',
      method: 'POST',
      data: {
        time: 1000,
        timeEnd: 2001,
        tags: ['veza-slo-correction', 'kind:accepted-incident', 'slo:api-latency', 'slo:payment-success'],
        text: 'CDN outage',
      },
    });
  });

  test('create: a 403 reads "only editors can add corrections"', async () => {
    const { srv } = fakeSrv(() => {
      throw { status: 403, data: { message: 'You are not allowed to write annotations' } };
    });
    const p = createCorrection({ kind: 'maintenance', sloIds: 'all', from: 0, to: 1, reason: 'x' }, srv);
    await expect(p).rejects.toThrow(/^Only editors can add corrections \(Grafana answered HTTP 403\)/);
    await expect(p).rejects.toBeInstanceOf(AnnotationsError);
  });

  test('create: no reason, no SLO or an empty window is refused before any request', async () => {
    const { srv, calls } = fakeSrv(() => ({ id: 1 }));
    const base = { kind: 'maintenance' as const, sloIds: ['a'], from: 0, to: 1, reason: 'r' };
    await expect(createCorrection({ ...base, reason: '  ' }, srv)).rejects.toThrow('A reason is required');
    await expect(createCorrection({ ...base, sloIds: [] }, srv)).rejects.toThrow('Pick at least one SLO');
    await expect(createCorrection({ ...base, to: 0 }, srv)).rejects.toThrow('must end after it starts');
    expect(calls).toHaveLength(0);
  });

  test('delete: DELETE by annotation id; a 403 names editors; a recurring window is refused', async () => {
    const { srv, calls } = fakeSrv(() => ({ message: 'Annotation deleted' }));
    await deleteCorrection({ id: 'a:42' }, srv);
    expect(calls[0]).toMatchObject({ url: '/api/annotations/42', method: 'DELETE' });
    await expect(deleteCorrection({ id: 'r:weekly@1', recurring: true }, srv)).rejects.toThrow('part of the SLO spec');
    const denied = fakeSrv(() => {
      throw { status: 403 };
    });
    await expect(deleteCorrection({ id: 'a:1' }, denied.srv)).rejects.toThrow(/^Only editors can delete corrections/);
  });
});

describe('who may write corrections', () => {
  const user = (orgRole: string, permissions: Record<string, boolean> = {}, isGrafanaAdmin = false) =>
    ({ orgRole, permissions, isGrafanaAdmin }) as unknown as Parameters<typeof canWriteCorrections>[0];
  test('editors and admins by role; RBAC permissions win when present; viewers not', () => {
    expect(canWriteCorrections(user('Editor'))).toBe(true);
    expect(canWriteCorrections(user('Admin'))).toBe(true);
    expect(canWriteCorrections(user('Viewer'))).toBe(false);
    expect(canWriteCorrections(user('Viewer', {}, true))).toBe(true);
    expect(canWriteCorrections(user('Viewer', { 'annotations:create': true }))).toBe(true);
    expect(canWriteCorrections(user('Editor', { 'dashboards:read': true }))).toBe(false);
  });
});
