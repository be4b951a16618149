// The runbooks' code blocks as the runbook test and the db-failover drill run them (pure: no I/O besides the
// `complete` check the caller passes in, which is `bash -n` in practice).
//
// Markers, written in the markdown so a reader sees why a command is not tried on the local stack:
//   <!-- not-on-stack: REASON -->      just before a fence: no command of the block runs here
//   <!-- drill: NAME -->               just before a fence: the block changes state (a failover, a dropped
//                                      node); only the named drill runs it, in document order
//   `cmd   # not on the stack: REASON` at the end of a command: that command does not run here
//   `cmd   # refused: TEXT`            in a drill block: the command must fail, saying TEXT (the drill checks)
//   `cmd   # harmless: TEXT`           output lines holding TEXT are a known message the runbook explains
// Everything else in a ```bash block must work when pasted on the stack, and every ```promql query must run.

export interface Command {
  line: number; // 1-based line of the command's first line in the markdown
  text: string; // the command as pasted (continuation lines included)
  skip?: string; // why it does not run on the stack
  refused?: string; // a drill command that must fail, with this text in its output (`# refused: TEXT`)
  harmless?: string; // output lines holding this text are a known, explained message, not a failure
}

export interface Block {
  lang: string;
  line: number; // line of the opening fence
  skip?: string;
  drill?: string;
  body: string;
}

const FENCE = /^```(\w*)\s*$/;
const BLOCK_SKIP = /^<!--\s*not-on-stack:\s*(.+?)\s*-->\s*$/;
const BLOCK_DRILL = /^<!--\s*drill:\s*([\w-]+)\s*-->\s*$/;
const CMD_SKIP = /#\s*not on the stack:\s*(.+?)\s*$/;
const CMD_REFUSED = /#\s*refused:\s*(.+?)\s*$/;
const CMD_HARMLESS = /#\s*harmless:\s*(.+?)\s*$/;

export function blocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) {
      continue;
    }
    let j = i + 1;
    while (j < lines.length && !/^```\s*$/.test(lines[j])) {
      j++;
    }
    // The marker is the last non-blank line before the fence (prettier puts a blank line after an HTML comment).
    let k = i - 1;
    while (k >= 0 && /^\s*$/.test(lines[k])) {
      k--;
    }
    const before = k >= 0 ? lines[k] : '';
    out.push({
      lang: open[1],
      line: i + 1,
      skip: BLOCK_SKIP.exec(before)?.[1],
      drill: BLOCK_DRILL.exec(before)?.[1],
      body: lines.slice(i + 1, j).join('\n'),
    });
    i = j;
  }
  return out;
}

/**
 * Splits a shell block into the commands a reader would paste one at a time: a line starts a command unless it
 * is blank or a whole-line comment, and lines are added to it until it does not end in a backslash and `complete`
 * (bash -n) accepts the text —
 * so backslash continuations, open quotes, loops and function bodies stay whole.
 */
export function commands(block: Block, complete: (text: string) => boolean): Command[] {
  const lines = block.body.split('\n');
  const out: Command[] = [];
  let cur: string[] = [];
  let start = 0;
  lines.forEach((l, k) => {
    if (!cur.length && (/^\s*$/.test(l) || /^\s*#/.test(l))) {
      return;
    }
    if (!cur.length) {
      start = block.line + 1 + k;
    }
    cur.push(l);
    const text = cur.join('\n');
    // bash -n accepts a trailing backslash at the end of its input; a reader's paste would still be waiting.
    if (!/\\$/.test(l) && complete(text)) {
      const last = cur[cur.length - 1];
      out.push({
        line: start,
        text,
        skip: block.skip ?? CMD_SKIP.exec(last)?.[1],
        refused: CMD_REFUSED.exec(last)?.[1],
        harmless: CMD_HARMLESS.exec(last)?.[1],
      });
      cur = [];
    }
  });
  if (cur.length) {
    out.push({ line: start, text: cur.join('\n'), skip: block.skip ?? 'unterminated command (bash -n refuses it)' });
  }
  return out;
}

/** PromQL queries of a ```promql block: runs of non-comment, non-blank lines (a query may span lines). */
export function queries(block: Block): Command[] {
  const out: Command[] = [];
  let cur: string[] = [];
  let start = 0;
  const flush = () => {
    if (cur.length) {
      out.push({ line: start, text: cur.join('\n'), skip: block.skip });
    }
    cur = [];
  };
  block.body.split('\n').forEach((l, k) => {
    if (/^\s*$/.test(l) || /^\s*#/.test(l)) {
      flush();
      return;
    }
    if (!cur.length) {
      start = block.line + 1 + k;
    }
    cur.push(l);
  });
  flush();
  return out;
}

/** What a command's output says when it "ran" but did not work (exit 0 hides these behind pipes). */
export const FAILURE_TEXT =
  /\b(ERROR|FATAL):|command not found|No such file or directory|Operation not permitted|Permission denied|could not connect|Connection refused/;

/**
 * What makes a command look fine while it failed: curl without --fail exits 0 on a 404 or a 503 (the runbook's
 * old `curl …/api/v1/tracks` did exactly that). Returns the problem, or undefined.
 */
export function lint(text: string): string | undefined {
  if (/(^|[\s|;&(])curl\s/.test(text) && !/\s(-[a-zA-Z]*f[a-zA-Z]*|--fail(-with-body)?)(\s|$)/.test(text)) {
    return 'curl without -f/--fail/--fail-with-body exits 0 on an HTTP error: add -f so a 4xx/5xx shows as a failure';
  }
  return undefined;
}

const SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** A rule's `for:` (e.g. "10m") in seconds; no `for:` is 0. */
export const forSeconds = (d = '0s') => {
  const m = /^(\d+)([smh])$/.exec(d);
  return m ? Number(m[1]) * SECONDS[m[2]] : NaN;
};

/** The text from the first mention of `name` (in backticks) to the end of its sentence, at most 300 characters. */
export function firstMention(md: string, name: string): string | undefined {
  const i = md.indexOf('`' + name + '`');
  if (i < 0) {
    return undefined;
  }
  const rest = md.slice(i, i + 300);
  const end = rest.search(/\.\s|\n\n/);
  return end < 0 ? rest : rest.slice(0, end);
}

/**
 * What a runbook sentence about an alert says that its rules do not: a severity (page|ticket) none of them has,
 * or a delay ("for 2 minutes", "after 1 minute", "`for: 10m`") that is none of their `for:` values.
 */
export function statedMismatch(text: string, severities: string[], fors: number[]): string | undefined {
  const sev = /\b(page|ticket)\b/.exec(text)?.[1];
  if (sev && !severities.includes(sev)) {
    return `says ${sev}; the rule says ${severities.join('/')}`;
  }
  for (const m of text.matchAll(/\b(?:for|after) (\d+|a|one) (second|minute|hour)s?\b|`for: (\d+)([smh])`/g)) {
    const s = m[3] ? Number(m[3]) * SECONDS[m[4]] : (/^\d+$/.test(m[1]) ? Number(m[1]) : 1) * SECONDS[m[2][0]];
    if (!fors.includes(s)) {
      return `says "${m[0]}"; the rule's for: is ${fors.map((f) => `${f}s`).join('/')}`;
    }
  }
  return undefined;
}
