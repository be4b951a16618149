// Test helper: answers the ledger's counts query like Prometheus would, from a traffic given per minute. Each
// pinned increase() term (`[<range>s] @ <time>`, tagged slo, slo_part and slo_window_key) gets the events of the
// minutes in its window (time − range, time]: minute m's events are counted at the minute mark m + 1.
import type { PromSample } from '../types';

export function countsAnswer(
  query: string,
  originMs: number,
  perMinute: (m: number, part: 'bad' | 'valid') => number
): PromSample[] {
  return query.split(/ or label_replace\(/).map((term) => {
    const [, range, time] = /\[(\d+)s\] @ (\d+)\)/.exec(term)!;
    const [, slo] = /"slo", "([^"]+)"/.exec(term)!;
    const [, part] = /"slo_part", "([^"]+)"/.exec(term)!;
    const [, key] = /"slo_window_key", "([^"]+)"/.exec(term)!;
    let n = 0;
    for (let t = (Number(time) - Number(range) + 60) * 1000; t <= Number(time) * 1000; t += 60000) {
      n += perMinute((t - originMs) / 60000 - 1, part as 'bad' | 'valid');
    }
    return { metric: { slo, slo_part: part, slo_window_key: key }, value: [Number(time), String(n)] };
  });
}
