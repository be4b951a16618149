/**
 * Budget corrections: maintenance windows and accepted incidents whose events are left out of every budget figure
 * (issue 13). They live in Grafana as region annotations (DESIGN.md, "Grafana's own stores first"): the tags say
 * that an annotation is a correction, of which kind, for which SLOs; the text is the reason; Grafana keeps the
 * author and the time. Recurring windows come from the spec (recurrence.ts). Alerts never read them: a burn that
 * pages during maintenance still pages. Pure.
 */
import type { Window } from './recurrence';

export type { Window } from './recurrence';

export type CorrectionKind = 'maintenance' | 'accepted-incident';
export const CORRECTION_KINDS: Array<{ kind: CorrectionKind; label: string }> = [
  { kind: 'maintenance', label: 'Maintenance window' },
  { kind: 'accepted-incident', label: 'Accepted incident' },
];

/** The tag every correction annotation carries (the annotations API filters on it). */
export const CORRECTION_TAG = 'veza-slo-correction';
const SLO_TAG = 'slo:';
const KIND_TAG = 'kind:';
/** `slo:*`: the correction applies to every SLO. */
export const ALL_SLOS = '*';

export interface Correction {
  /** The annotation id ("a:42"), or the spec entry's id with the occurrence's start for recurring windows. */
  id: string;
  sloIds: string[] | 'all';
  /** [from, to) in ms. */
  from: number;
  to: number;
  kind: CorrectionKind;
  reason: string;
  author?: string;
  createdAt?: number;
  /** From a recurring window of the spec (read-only in the UI). */
  recurring?: boolean;
}

/** The fields of `GET /api/annotations` items that corrections use (Grafana's response, abridged). */
export interface GrafanaAnnotation {
  id: number;
  time: number;
  timeEnd?: number;
  tags?: string[];
  text?: string;
  login?: string;
  email?: string;
  created?: number;
  updated?: number;
}

const isKind = (k: string): k is CorrectionKind => k === 'maintenance' || k === 'accepted-incident';

/** The tags of a correction annotation. */
export function correctionTags(kind: CorrectionKind, sloIds: string[] | 'all'): string[] {
  const slos = sloIds === 'all' ? [ALL_SLOS] : sloIds;
  return [CORRECTION_TAG, `${KIND_TAG}${kind}`, ...slos.map((s) => `${SLO_TAG}${s}`)];
}

/**
 * A correction from an annotation, or undefined when it is not one we can apply: not tagged as a correction, not a
 * region (no end after its start), no known kind, or no SLO named. An annotation that names no SLO is ignored
 * rather than read as "all": widening a correction to every SLO must be said (`slo:*`).
 */
export function correctionFromAnnotation(a: GrafanaAnnotation): Correction | undefined {
  const tags = a.tags ?? [];
  if (!tags.includes(CORRECTION_TAG) || a.timeEnd === undefined || !(a.timeEnd > a.time)) {
    return undefined;
  }
  const kinds = tags.filter((t) => t.startsWith(KIND_TAG)).map((t) => t.slice(KIND_TAG.length));
  const slos = tags.filter((t) => t.startsWith(SLO_TAG)).map((t) => t.slice(SLO_TAG.length));
  if (kinds.length !== 1 || !isKind(kinds[0]) || !slos.length) {
    return undefined;
  }
  return {
    id: `a:${a.id}`,
    sloIds: slos.includes(ALL_SLOS) ? 'all' : [...new Set(slos)].sort(),
    from: a.time,
    to: a.timeEnd,
    kind: kinds[0],
    reason: a.text ?? '',
    author: a.login || a.email || undefined,
    createdAt: a.created,
  };
}

export function correctionsFromAnnotations(list: GrafanaAnnotation[]): Correction[] {
  return list.map(correctionFromAnnotation).filter((c): c is Correction => !!c);
}

export const appliesTo = (c: Pick<Correction, 'sloIds'>, sloId: string) =>
  c.sloIds === 'all' || c.sloIds.includes(sloId);

/** Overlapping or touching windows joined into one: the events of an instant are excluded once, not twice. */
export function mergeWindows(windows: Window[]): Window[] {
  const sorted = windows.filter((w) => w.to > w.from).sort((a, b) => a.from - b.from);
  const out: Window[] = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && w.from <= last.to) {
      last.to = Math.max(last.to, w.to);
    } else {
      out.push({ from: w.from, to: w.to });
    }
  }
  return out;
}

/** The windows' parts inside [from, to), merged. */
export function clipWindows(windows: Window[], from: number, to: number): Window[] {
  return mergeWindows(windows.map((w) => ({ from: Math.max(w.from, from), to: Math.min(w.to, to) })));
}

/** The windows of one SLO's corrections inside [from, to), merged: what its corrected figures leave out. */
export function sloWindows(corrections: Correction[], sloId: string, from: number, to: number): Window[] {
  return clipWindows(
    corrections.filter((c) => appliesTo(c, sloId)),
    from,
    to
  );
}

/**
 * The windows cut at each of `cuts` (ms, e.g. the local midnights of a report): no piece straddles a cut, so each
 * piece's events belong to one day. The pieces cover exactly the windows.
 */
export function splitWindows(windows: Window[], cuts: number[]): Window[] {
  const sorted = [...cuts].sort((a, b) => a - b);
  return windows.flatMap((w) => {
    const edges = [w.from, ...sorted.filter((c) => c > w.from && c < w.to), w.to];
    return edges.slice(1).map((to, i) => ({ from: edges[i], to }));
  });
}

/** Total length of merged windows, ms. */
export const windowsLength = (windows: Window[]) => windows.reduce((s, w) => s + (w.to - w.from), 0);
