/**
 * Recurring correction windows written in the SLO spec (`slos[].corrections`: an RFC 5545 rule, a kind and a
 * reason), carried to the app in the burn alerts' `slo_corrections` annotation the way the budget policy travels
 * (policy.ts), and expanded in the report's time zone into corrections that merge with the annotations'. One
 * contract for the rules generator (which validates with recurringProblems) and the app (which reads with
 * parseRecurring). Pure.
 */
import { type Correction, type CorrectionKind } from './corrections';
import { jsonListAnnotation } from './policy';
import { expandRecurrence, parseRecurrence } from './recurrence';

export const CORRECTIONS_ANNOTATION = 'slo_corrections';

export interface RecurringCorrection {
  /** e.g. FREQ=WEEKLY;BYDAY=SU;BYHOUR=3;DURATION=PT1H (recurrence.ts's subset). */
  rrule: string;
  kind: CorrectionKind;
  reason: string;
}

const KINDS: CorrectionKind[] = ['maintenance', 'accepted-incident'];

/** What is wrong with the spec's entries, each message naming its field (`slos[0].corrections[1].rrule: …`). */
export function recurringProblems(list: RecurringCorrection[], at: string): string[] {
  return list.flatMap((c, i) => {
    const field = `${at}[${i}]`;
    const out: string[] = [];
    try {
      parseRecurrence(c.rrule, 'UTC');
    } catch (e) {
      out.push(`${field}.rrule: ${(e as Error).message}`);
    }
    if (!KINDS.includes(c.kind)) {
      out.push(`${field}.kind: must be ${KINDS.join(' or ')}`);
    }
    if (!c.reason?.trim()) {
      out.push(`${field}.reason: required (why these events should not count)`);
    } else if (/\{\{|\}\}/.test(c.reason)) {
      out.push(`${field}.reason: must not contain {{ or }} (Prometheus would run it as a template)`);
    }
    return out;
  });
}

export const encodeRecurring = (list: RecurringCorrection[]) =>
  JSON.stringify(list.map((c) => ({ rrule: c.rrule, kind: c.kind, reason: c.reason })));

/** Reads the annotation back, keeping the entries that are valid; undefined when there is none. */
export function parseRecurring(value: string | undefined): RecurringCorrection[] | undefined {
  const raw = jsonListAnnotation(value) ?? [];
  const ok = (raw as Array<Partial<RecurringCorrection> | null>).filter(
    (c): c is RecurringCorrection =>
      typeof c?.rrule === 'string' &&
      typeof c?.reason === 'string' &&
      recurringProblems([c as RecurringCorrection], '').length === 0
  );
  return ok.length ? ok : undefined;
}

/** The occurrences overlapping [fromMs, toMs) of each SLO's recurring windows, as read-only corrections. */
export function expandRecurring(
  slos: Array<{ id: string; corrections?: RecurringCorrection[] }>,
  fromMs: number,
  toMs: number,
  timeZone: string
): Correction[] {
  return slos.flatMap((slo) =>
    (slo.corrections ?? []).flatMap((c, i) =>
      expandRecurrence(parseRecurrence(c.rrule, timeZone), fromMs, toMs).map((w) => ({
        id: `r:${slo.id}:${i}@${w.from}`,
        sloIds: [slo.id],
        from: w.from,
        to: w.to,
        kind: c.kind,
        reason: c.reason,
        recurring: true,
      }))
    )
  );
}
