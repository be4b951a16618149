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
  /** The runbook section the rule's runbook_url names (`#no-writable-primary` → "no-writable-primary"). */
  section?: string;
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
        section: runbookSection(r.annotations?.runbook_url),
      });
      out.set(name, list);
    }
  }
  return out;
}

/** The section anchor of a runbook_url (…/runbooks/db-failover#no-writable-primary → "no-writable-primary"). */
export function runbookSection(url: string | undefined): string | undefined {
  const hash = /#([^#\s]+)$/.exec(url ?? '')?.[1];
  if (!hash) {
    return undefined;
  }
  try {
    return decodeURIComponent(hash);
  } catch {
    return hash;
  }
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

/** First paragraph after the title as plain text (list summaries); metric names keep their underscores. */
export function runbookSummary(markdown: string): string {
  const para = markdown
    .replace(/^#.*$/m, '')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .find((p) => p && !p.startsWith('#') && !p.startsWith('```'));
  return plainInline(para ?? '')
    .replace(/\s+/g, ' ')
    .slice(0, 240);
}

/**
 * Inline markdown as the text a reader sees: code spans literal without their backticks, links as their text,
 * emphasis markers dropped. An underscore inside a word (`redis_up`, pg_stat_replication) is no emphasis in
 * markdown and stays, as the renderer keeps it.
 */
export function plainInline(markdown: string): string {
  return markdown
    .split(/(`[^`]*`)/)
    .map((part, i) =>
      i % 2 === 1
        ? part.slice(1, -1)
        : part
            .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
            .replace(/<[^>]+>/g, '')
            .replace(/\*+/g, '')
            .replace(/(^|[^\p{L}\p{N}])_+/gu, '$1')
            .replace(/_+(?=[^\p{L}\p{N}]|$)/gu, '')
    )
    .join('');
}

/**
 * GitHub's heading anchor: lower case, punctuation and symbols dropped, each space a hyphen
 * ("First moves (under 5 minutes)" → "first-moves-under-5-minutes"). runbook_url anchors name these.
 */
export function headingSlug(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** A slug function for one document: a repeated heading gets -1, -2, … as on GitHub. */
export function slugger(): (text: string) => string {
  const seen = new Map<string, number>();
  return (text) => {
    const base = headingSlug(text);
    const n = seen.get(base);
    seen.set(base, (n ?? -1) + 1);
    return n === undefined ? base : `${base}-${n + 1}`;
  };
}

/** The anchors of a runbook's headings (ATX `#` headings outside fenced code), in document order. */
export function headingSlugs(markdown: string): string[] {
  const slug = slugger();
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const f = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (f) {
      fence = fence === undefined ? f[1][0] : f[1][0] === fence ? undefined : fence;
      continue;
    }
    const h = fence === undefined ? /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line) : null;
    if (h) {
      out.push(slug(plainInline(h[1])));
    }
  }
  return out;
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
