// The budget ledger as text (`npm run budget -- report`): markdown and JSON sections of the report, and its own CSV
// (`--format csv --ledger`: one table, one row per line, window and incident, for a spreadsheet to filter on `row`).
// Pure, but for reading the CLI's input files.
import type { LedgerData } from '../../src/api/ledger';
import { CAUSE_LABEL, type FailoverEpisode, type Ledger, POSTMORTEM_SHARE } from '../../src/slo/ledger';
import type { Period } from '../../src/slo/periods';
import { toCsv } from '../../src/slo/report';

const iso = (ms: number) => new Date(ms).toISOString();
const minute = (ms: number) => iso(ms).slice(0, 16) + 'Z';
const pct = (v: number | undefined, digits = 1) => (v === undefined ? '—' : `${(v * 100).toFixed(digits)} %`);
const tenths = (t: number | undefined) => (t === undefined ? '—' : `${(t / 10).toFixed(1)} %`);
const round = (v: number | undefined, digits: number) => (v === undefined ? undefined : Number(v.toFixed(digits)));

/**
 * Failover episodes from a file (the CLI has no Grafana session to ask the PG HA data source): a JSON array of
 * `{ "start": ISO | ms, "end": ISO | ms, "title"?: text, "settled"?: boolean }`.
 */
export function failoversFromJson(list: unknown): FailoverEpisode[] {
  if (!Array.isArray(list)) {
    throw new Error('not a JSON array of episodes');
  }
  const time = (v: unknown, what: string, i: number) => {
    const t = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN;
    if (!Number.isFinite(t)) {
      throw new Error(`episode ${i}: ${what} is not a time (ISO 8601 or epoch ms)`);
    }
    return t;
  };
  return list.map((e: Record<string, unknown>, i) => {
    const start = time(e?.start, 'start', i);
    const end = time(e?.end, 'end', i);
    if (end < start) {
      throw new Error(`episode ${i}: ends before it starts`);
    }
    return {
      start,
      end,
      title: typeof e.title === 'string' && e.title ? e.title : 'Failover',
      settled: e.settled !== false,
    };
  });
}

function sourcesLine(data: LedgerData): string {
  const s = (name: string, st: LedgerData['sources']['deploys']) =>
    st.state === 'read' ? `${name} read` : `${name} ${st.state} (${st.why})`;
  return [
    s('deploys', data.sources.deploys),
    s('failover episodes', data.sources.failovers),
    s('alert history', data.sources.alerts),
  ].join('; ');
}

export function ledgerMarkdown(data: LedgerData): string {
  const lines = [
    '## Budget ledger',
    '',
    'Each bad event is attributed once: correction, else failover episode, else one of the SLO’s burn alerts, else ' +
      'deploy (until the next deploy, at most 1 h), else unattributed. "% of budget" adds up to the budget used, ' +
      `"share of spend" to 100 %. Incidents over ${POSTMORTEM_SHARE * 100} % of the budget need a postmortem.`,
    '',
  ];
  for (const { slo, ledger } of data.ledgers) {
    lines.push(`### ${slo.title}`, '');
    if (!ledger) {
      lines.push('No ledger: the counts could not be read.', '');
      continue;
    }
    const corrected =
      ledger.correctedBudgetUsed !== undefined ? `, ${pct(ledger.correctedBudgetUsed)} of the corrected budget` : '';
    lines.push(
      `${ledger.bad} bad events, ${pct(ledger.budgetUsed)} of the budget${corrected}.`,
      '',
      '| cause | windows | bad events | % of budget | share of spend |',
      '|---|---|---|---|---|',
      ...ledger.lines.map(
        (l) =>
          `| ${CAUSE_LABEL[l.cause]} | ${l.cause === 'unattributed' ? 'the rest' : l.items.length} | ${l.bad} | ` +
          `${pct(l.budgetShare, 2)} | ${tenths(l.spendTenths)} |`
      ),
      `| total | | ${ledger.bad} | ${pct(ledger.budgetUsed, 2)} | ${ledger.bad > 0 ? '100.0 %' : '—'} |`,
      ''
    );
    for (const i of ledger.incidents) {
      lines.push(
        `- ${i.postmortem ? '**postmortem required** · ' : ''}${i.title}, ${minute(i.from)} to ${minute(i.to)}: ` +
          `${i.bad} bad events, ${pct(i.budgetShare)} of the budget${i.corrected ? ' (partly in a correction)' : ''}`
      );
    }
    lines.push(...(ledger.incidents.length ? [''] : ['No failover or alert episode.', '']));
  }
  lines.push(`Sources: ${sourcesLine(data)}.`);
  if (data.problems.length) {
    lines.push('', `Partial ledger: ${data.problems.join('; ')}.`);
  }
  return lines.join('\n') + '\n';
}

const jsonLedger = (l: Ledger) => ({
  ...l,
  lines: l.lines.map((x) => ({
    ...x,
    items: x.items.map((i) => ({ ...i, from: iso(i.from), to: iso(i.to) })),
  })),
  incidents: l.incidents.map((i) => ({ ...i, from: iso(i.from), to: iso(i.to) })),
});

export function ledgerJson(data: LedgerData) {
  return {
    sources: data.sources,
    problems: data.problems,
    slos: data.ledgers.map(({ slo, ledger }) => ({ slo: slo.id, ...(ledger ? jsonLedger(ledger) : { ledger: null }) })),
  };
}

/** One table: `row` is line (a cause), window (one deploy, episode or correction of it) or incident. */
export function ledgerCsv(data: LedgerData, period: Period): string {
  const rows = data.ledgers.flatMap(({ slo, ledger }) => {
    if (!ledger) {
      return [];
    }
    const base = { period: period.key, time_zone: period.timeZone, slo: slo.id };
    const share = (n: number) => (ledger.budget > 0 ? round(n / ledger.budget, 6) : undefined);
    return [
      ...ledger.lines.flatMap((l) => [
        {
          ...base,
          row: 'line',
          cause: l.cause,
          title: CAUSE_LABEL[l.cause],
          from: undefined,
          to: undefined,
          bad_events: l.bad,
          budget_share: round(l.budgetShare, 6),
          spend_share: l.spendTenths !== undefined ? l.spendTenths / 1000 : undefined,
          postmortem_required: undefined,
        },
        ...l.items.map((i) => ({
          ...base,
          row: 'window',
          cause: l.cause,
          title: i.title,
          from: iso(i.from),
          to: iso(i.to),
          bad_events: i.bad,
          budget_share: share(i.bad),
          spend_share: undefined,
          postmortem_required: undefined,
        })),
      ]),
      ...ledger.incidents.map((i) => ({
        ...base,
        row: 'incident',
        cause: i.kind,
        title: i.title,
        from: iso(i.from),
        to: iso(i.to),
        bad_events: i.bad,
        budget_share: round(i.budgetShare, 6),
        spend_share: undefined,
        postmortem_required: i.postmortem ? 'yes' : 'no',
      })),
    ];
  });
  return toCsv(rows);
}
