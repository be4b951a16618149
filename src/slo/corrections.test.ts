import fc from 'fast-check';
import {
  clipWindows,
  correctionFromAnnotation,
  correctionsFromAnnotations,
  correctionTags,
  mergeWindows,
  sloWindows,
  splitWindows,
  windowsLength,
  type Correction,
  type GrafanaAnnotation,
} from './corrections';

const annotation = (over: Partial<GrafanaAnnotation> = {}): GrafanaAnnotation => ({
  id: 7,
  time: 1000,
  timeEnd: 5000,
  tags: correctionTags('maintenance', ['api-latency', 'payment-success']),
  text: 'DB upgrade',
  login: 'jane',
  email: 'jane@example.com',
  created: 900,
  ...over,
});

describe('correctionFromAnnotation', () => {
  it('reads kind, SLOs, reason, author and creation time from a tagged region', () => {
    expect(correctionFromAnnotation(annotation())).toEqual({
      id: 'a:7',
      sloIds: ['api-latency', 'payment-success'],
      from: 1000,
      to: 5000,
      kind: 'maintenance',
      reason: 'DB upgrade',
      author: 'jane',
      createdAt: 900,
    });
  });

  it('slo:* applies to every SLO; the email stands in for a missing login', () => {
    const c = correctionFromAnnotation(
      annotation({ tags: correctionTags('accepted-incident', 'all'), login: undefined })
    );
    expect(c).toMatchObject({ sloIds: 'all', kind: 'accepted-incident', author: 'jane@example.com' });
  });

  it.each<[string, Partial<GrafanaAnnotation>]>([
    ['not tagged as a correction', { tags: ['kind:maintenance', 'slo:api-latency'] }],
    ['a point, not a region', { timeEnd: 1000 }],
    ['no end', { timeEnd: undefined }],
    ['an unknown kind', { tags: ['veza-slo-correction', 'kind:holiday', 'slo:api-latency'] }],
    ['two kinds', { tags: ['veza-slo-correction', 'kind:maintenance', 'kind:accepted-incident', 'slo:x'] }],
    ['no SLO named (never widened to all by omission)', { tags: ['veza-slo-correction', 'kind:maintenance'] }],
  ])('ignores an annotation with %s', (_, over) => {
    expect(correctionFromAnnotation(annotation(over))).toBeUndefined();
  });

  it('keeps only the usable ones of a list', () => {
    expect(correctionsFromAnnotations([annotation(), annotation({ id: 8, tags: [] })]).map((c) => c.id)).toEqual([
      'a:7',
    ]);
  });
});

describe('windows', () => {
  it('merges overlapping and touching windows, drops empty ones', () => {
    expect(
      mergeWindows([
        { from: 10, to: 20 },
        { from: 0, to: 5 },
        { from: 15, to: 30 },
        { from: 30, to: 31 },
        { from: 40, to: 40 },
      ])
    ).toEqual([
      { from: 0, to: 5 },
      { from: 10, to: 31 },
    ]);
  });

  it('clips to a period', () => {
    expect(
      clipWindows(
        [
          { from: 0, to: 10 },
          { from: 50, to: 200 },
          { from: 300, to: 400 },
        ],
        5,
        100
      )
    ).toEqual([
      { from: 5, to: 10 },
      { from: 50, to: 100 },
    ]);
  });

  it("an SLO's windows are those of the corrections that name it or all", () => {
    const c = (id: string, sloIds: Correction['sloIds'], from: number, to: number): Correction => ({
      id,
      sloIds,
      from,
      to,
      kind: 'maintenance',
      reason: '',
    });
    const list = [c('a', ['x'], 0, 10), c('b', ['y'], 20, 30), c('c', 'all', 5, 15)];
    expect(sloWindows(list, 'x', 0, 100)).toEqual([{ from: 0, to: 15 }]);
    expect(sloWindows(list, 'y', 0, 100)).toEqual([
      { from: 5, to: 15 },
      { from: 20, to: 30 },
    ]);
  });

  const windowList = fc.array(
    fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 200 })).map(([from, len]) => ({
      from,
      to: from + len,
    })),
    { maxLength: 20 }
  );

  it('merged windows are sorted, disjoint, and cover exactly the same instants', () => {
    fc.assert(
      fc.property(windowList, fc.integer({ min: 0, max: 1300 }), (ws, t) => {
        const m = mergeWindows(ws);
        m.forEach((w, i) => {
          expect(w.to).toBeGreaterThan(w.from);
          if (i > 0) {
            expect(w.from).toBeGreaterThan(m[i - 1].to);
          }
        });
        const inside = (list: typeof ws) => list.some((w) => w.from <= t && t < w.to);
        expect(inside(m)).toBe(inside(ws));
        expect(windowsLength(m)).toBeLessThanOrEqual(windowsLength(ws));
      })
    );
  });

  it('clipping never leaves the period, and is idempotent', () => {
    fc.assert(
      fc.property(windowList, fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: 600 }), (ws, a, len) => {
        const c = clipWindows(ws, a, a + len);
        c.forEach((w) => expect(w.from >= a && w.to <= a + len).toBe(true));
        expect(clipWindows(c, a, a + len)).toEqual(c);
      })
    );
  });

  it('splits windows at the cuts: no piece straddles one, the pieces cover the same instants', () => {
    expect(
      splitWindows(
        [
          { from: 10, to: 50 },
          { from: 60, to: 70 },
        ],
        [20, 40, 65, 70, 100]
      )
    ).toEqual([
      { from: 10, to: 20 },
      { from: 20, to: 40 },
      { from: 40, to: 50 },
      { from: 60, to: 65 },
      { from: 65, to: 70 },
    ]);
    fc.assert(
      fc.property(windowList, fc.array(fc.integer({ min: 0, max: 1300 }), { maxLength: 10 }), (ws, cuts) => {
        const m = mergeWindows(ws);
        const p = splitWindows(m, cuts);
        expect(windowsLength(p)).toBe(windowsLength(m));
        expect(mergeWindows(p)).toEqual(m);
        p.forEach((w) => expect(cuts.some((c) => c > w.from && c < w.to)).toBe(false));
      })
    );
  });
});
