import type { SloView } from './status';

/** The ids in the `slos` option: comma or space separated, blanks and repeats dropped. */
export function parseIds(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}

/**
 * The tiles the options choose, from views sorted worst first: every SLO when no id is given; else the listed ids
 * that exist, worst first or in the listed order. Ids that match no SLO are returned apart (the panel names them
 * instead of silently showing fewer tiles).
 */
export function selectViews(
  views: SloView[],
  ids: string[],
  order: 'worst' | 'listed'
): { shown: SloView[]; unknown: string[] } {
  if (!ids.length) {
    return { shown: views, unknown: [] };
  }
  const byId = new Map(views.map((v) => [v.slo.id, v]));
  const unknown = ids.filter((id) => !byId.has(id));
  const shown =
    order === 'listed'
      ? ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []))
      : views.filter((v) => ids.includes(v.slo.id));
  return { shown, unknown };
}
