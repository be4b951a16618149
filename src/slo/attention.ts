// What needs attention on an SLO now, for the colour of its tile and gauge (pure). The budget left says how the
// month went; a burn or an alert says what is happening now. A tile burning at 85× with 80 % of its budget left is
// not green: the worse of the budget's band and the burn/alert state colours it, and the reason is said in words.
import { budgetLevel, burnRate, type BudgetLevel } from './budget';
import type { SliWindow, Slo, SloStatus } from './types';

export interface Attention {
  /** Colour band, the budget's scale: ok < warning < critical < exhausted (unknown = no budget and nothing on). */
  level: BudgetLevel;
  /** Why, in words, when the burn or an alert (not the budget) sets the level: short enough for a wall tile. */
  reason?: string;
  /** The rule behind the reason ("FastBurn fires above 14.4× on both windows"), for a tooltip. */
  detail?: string;
}

const RANK: Record<BudgetLevel, number> = { unknown: 0, ok: 1, warning: 2, critical: 3, exhausted: 4 };
const worse = (a: Attention, b: Attention) => (RANK[b.level] > RANK[a.level] ? b : a);
const isPage = (severity: string) => severity === 'page' || severity === 'critical';
const fmt = (b: number) => `${b >= 10 ? Math.round(b) : +b.toFixed(1)}×`;

/**
 * Red (exhausted): a page alert or a NoData alert firing, or a page tier's both windows over its burn rate (its
 * `for:` still running). Orange (critical): any alert firing, any tier's both windows over its rate, or a page
 * tier's long window over it. Yellow (warning): an alert pending, or a ticket tier's long window over its rate.
 * The budget's own band counts too; the worst wins.
 */
export function attention(slo: Slo, status: SloStatus | undefined, remaining: number | undefined): Attention {
  let a: Attention = { level: budgetLevel(remaining) };
  const burn = (w: string) => burnRate(status?.ratios[w as SliWindow], slo.objective);
  for (const al of slo.noDataAlerts ?? []) {
    if (al.state === 'firing') {
      a = worse(a, { level: 'exhausted', reason: 'no data: target down or SLI absent' });
    }
  }
  for (const al of slo.alerts) {
    const page = isPage(al.severity);
    if (al.state === 'firing') {
      a = worse(a, { level: page ? 'exhausted' : 'critical', reason: `${al.tier} alert firing` });
    } else if (al.state === 'pending') {
      a = worse(a, { level: 'warning', reason: `${al.tier} alert pending` });
    }
    const [long, short] = [burn(al.longWindow), burn(al.shortWindow)];
    if (long === undefined || long < al.burnRate) {
      continue;
    }
    const both = short !== undefined && short >= al.burnRate;
    const reason = `burning ${fmt(long)} over ${al.longWindow}, ${short === undefined ? '—' : fmt(short)} over ${al.shortWindow}`;
    const detail = `${al.tier} fires above ${al.burnRate}× on both ${al.longWindow} and ${al.shortWindow}`;
    a = worse(a, { level: both ? (page ? 'exhausted' : 'critical') : page ? 'critical' : 'warning', reason, detail });
  }
  return a;
}
