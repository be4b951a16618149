/** Runbooks ↔ alert rules: which rules point at which runbook (through runbook_url). Pure. */
import type { PromRulesData } from '../api/types';
import type { AlertState } from './types';
import { runbookName } from './words';

export interface RunbookAlert {
  name: string;
  state: AlertState;
  severity?: string;
  slo?: string;
  summary?: string;
  group: string;
}

/** Every alerting rule with a runbook_url, grouped by runbook name (all rules, not only SLO ones). */
export function alertsByRunbook(data: PromRulesData | undefined): Map<string, RunbookAlert[]> {
  const out = new Map<string, RunbookAlert[]>();
  for (const g of data?.groups ?? []) {
    for (const r of g.rules ?? []) {
      if (r.type !== 'alerting') {
        continue;
      }
      const name = runbookName(r.annotations?.runbook_url);
      if (!name) {
        continue;
      }
      const firing = r.state === 'firing' || r.alerts?.some((a) => a.state === 'firing');
      const pending = r.state === 'pending' || r.alerts?.some((a) => a.state === 'pending');
      const list = out.get(name) ?? [];
      // An active alert carries its summary expanded by Prometheus; the rule itself only has the template.
      const active = r.alerts?.find((a) => a.state === 'firing') ?? r.alerts?.find((a) => a.state === 'pending');
      list.push({
        name: r.name,
        state: firing ? 'firing' : pending ? 'pending' : 'inactive',
        severity: r.labels?.severity,
        slo: r.labels?.slo,
        summary: active?.annotations?.summary ?? readableTemplate(r.annotations?.summary),
        group: g.name,
      });
      out.set(name, list);
    }
  }
  return out;
}

/**
 * A rule's annotation template made readable while no alert has expanded it: `{{ $labels.instance }}` reads
 * ‹instance›, anything built on `$value` reads ‹value›, any other template action reads ….
 */
export function readableTemplate(template: string | undefined): string | undefined {
  return template
    ?.replace(/\{\{-?\s*\$labels\.([A-Za-z_][A-Za-z0-9_]*)\s*-?\}\}/g, '‹$1›')
    .replace(/\{\{[^}]*\$value[^}]*\}\}/g, '‹value›')
    .replace(/\{\{[^}]*\}\}/g, '…');
}

/** The markdown without its first level-1 heading (the page shows it as its title). */
export function withoutTitle(markdown: string): string {
  return markdown.replace(/^#\s+.+\n?/m, '');
}

/** The first level-1 heading, or the name made readable. */
export function runbookTitle(markdown: string, name: string): string {
  const m = /^#\s+(.+)$/m.exec(markdown);
  return m ? m[1].trim() : name.replace(/-/g, ' ');
}

/** First paragraph after the title, stripped of markdown emphasis (list summaries). */
export function runbookSummary(markdown: string): string {
  const para = markdown
    .replace(/^#.*$/m, '')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .find((p) => p && !p.startsWith('#') && !p.startsWith('```'));
  return (para ?? '').replace(/[*_`]/g, '').replace(/\s+/g, ' ').slice(0, 240);
}

/**
 * Rewrites markdown links between runbooks (`[x](db-failover.md#steps)`) to the app's runbook route, before
 * rendering: the sanitiser drops relative hrefs it cannot classify.
 */
export function rewriteRunbookLinks(markdown: string, base: string): string {
  return markdown.replace(
    /\]\((?:\.\/)?([A-Za-z0-9_-]+)\.md(#[^)\s]*)?\)/g,
    (_m, name: string, hash?: string) => `](${base}/${name}${hash ?? ''})`
  );
}
