// Text table of backtest results for `npm run backtest` (pure: results in, lines out).
import type { BacktestResult } from '../../src/api/backtest';
import { percent as pct, signedDuration as signed } from '../../src/slo/backtest';
import { toPromDuration } from '../../src/slo/duration';

const iso = (t: number) => new Date(t * 1000).toISOString().slice(0, 16).replace('T', ' ');

function pad(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('  ')
      .trimEnd()
  );
}

export function formatResult(r: BacktestResult): string[] {
  const lines: string[] = [];
  const segs = r.segments
    .map(
      (s) =>
        `${iso(s.from)} → ${iso(s.to)} every ${toPromDuration(s.step)}${s.pad ? `, windows +${toPromDuration(s.pad)}` : ', exact windows'}`
    )
    .join('; ');
  const what = r.whatIf ? `WHAT-IF (deployed objective ${pct(r.deployedObjective, 2)})` : 'deployed rules';
  lines.push(`${r.slo} — objective ${pct(r.objective, 2)}, ${what}`);
  lines.push(`  replay: ${segs} (UTC)`);
  lines.push(
    `  incidents (${r.incidentSource === 'given' ? 'scripted by the history generator' : 'read from the data'}): ${
      r.incidents
        .map((i) => `${i.id} ${pct(i.bad / ((1 - r.objective) * i.windowValid), 1)} of the budget`)
        .join(', ') || 'none'
    }; recall counts those ≥ ${pct(r.minShare, 1)}`
  );
  lines.push(
    ...pad([
      ['  tier', 'burn', 'long/short', 'for', 'guard', 'alerts', 'precision', 'recall'],
      ...r.tiers.map((t) => [
        `  ${t.tier}`,
        `${t.burnRate}×`,
        `${toPromDuration(t.longSeconds)}/${toPromDuration(t.shortSeconds)}`,
        t.forSeconds ? toPromDuration(t.forSeconds) : '0s',
        String(t.minEvents),
        String(t.alerts.length),
        pct(t.precision),
        pct(t.recall),
      ]),
      ['  policy (any tier)', '', '', '', '', String(r.policy.alerts), pct(r.policy.precision), pct(r.policy.recall)],
    ])
  );
  const rows = r.tiers.flatMap((t) =>
    t.incidents.map((o) => [
      `  ${t.tier}`,
      o.id,
      pct(o.share, 1) + (o.counted ? '' : ' (below)'),
      String(o.alerts),
      signed(o.detectionSeconds),
      signed(o.resetSeconds),
    ])
  );
  if (rows.length) {
    lines.push(...pad([['  tier', 'incident', 'budget used', 'alerts', 'detection', 'reset'], ...rows]));
  }
  const stray = r.tiers.flatMap((t) =>
    t.alerts.length - t.matched > 0 ? [`${t.tier}: ${t.alerts.length - t.matched}`] : []
  );
  if (stray.length) {
    lines.push(`  alerts outside any incident: ${stray.join(', ')}`);
  }
  return lines;
}
