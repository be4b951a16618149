// Every command of every runbook, pasted against the running stack (scripts/suites/60-stack-runbooks.sh; needs
// `stack up`, root): each ```bash command must exit 0 without an error in its output, each ```promql query must
// parse and evaluate on the stack's Prometheus. Commands marked not-on-stack are reported as skipped with their
// reason; blocks marked for a drill (state changes: failover, drop node) are left to that drill.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { PORTS, REPO } from '../lib/config';
import { blocks, commands, lint, queries } from '../lib/runbooks';
import { bashAccepts, describe, runSession } from '../lib/runbookShell';

const DIR = path.join(REPO, 'docs', 'runbooks');
const files = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.md'))
  .sort();

for (const file of files) {
  const md = fs.readFileSync(path.join(DIR, file), 'utf8');
  for (const b of blocks(md)) {
    if (b.lang === 'promql') {
      for (const q of queries(b)) {
        test(`${file}:${q.line} promql ${q.text.split('\n')[0]}`, { skip: q.skip }, async () => {
          const url = `http://127.0.0.1:${PORTS.prometheus}/api/v1/query?query=${encodeURIComponent(q.text)}`;
          const r = (await (await fetch(url)).json()) as { status: string; error?: string };
          assert.equal(r.status, 'success', `${q.text}\n→ ${r.error}`);
        });
      }
    } else if (b.lang === 'bash' || b.lang === 'sh') {
      const cmds = commands(b, bashAccepts);
      if (b.drill) {
        for (const c of cmds) {
          test(`${file}:${c.line} ${c.text.split('\n')[0]}`, {
            skip: `changes state: run in order by the ${b.drill} drill`,
          });
        }
        continue;
      }
      // One session per block, so what a command defines (a variable, a function) is there for the next one.
      const runnable = cmds.filter((c) => !c.skip);
      let ran: ReturnType<typeof runSession> | undefined;
      for (const c of cmds) {
        test(`${file}:${c.line} ${c.text.split('\n')[0]}`, { skip: c.skip }, () => {
          ran ??= runSession(runnable);
          const r = ran.find((x) => x.cmd === c)!;
          assert.ok(r.ok, describe(r));
          assert.equal(lint(c.text), undefined, `line ${c.line}: ${c.text}`);
        });
      }
    }
  }
}
