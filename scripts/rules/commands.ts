// The commands the rules tests run for real (test-only helpers): the generator's CLI, the drill's rule copier and
// promtool. Spawned rather than imported: generate.ts and stack/test/rules-mode.ts run their main() when loaded,
// and what the tests prove is what a person or the drill gets from the command line (exit code, stderr, files).
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const root = path.resolve(__dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[]): Run {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8' });
  if (r.error) {
    throw r.error; // e.g. promtool not on PATH: say so rather than fail on an empty output
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `npm run rules -- ARGS` (scripts/rules/generate.ts). */
export const generate = (...args: string[]) => run(tsx, ['scripts/rules/generate.ts', ...args]);

/** The rule file the alerting drill loads for FILE (`for: 20s`, a drill_run label), as text. */
export const drillRules = (file: string, runLabel: string) =>
  run(tsx, ['stack/test/rules-mode.ts', 'print', file, runLabel]);

export const promtool = (...args: string[]) => run('promtool', args);

/**
 * The rule count `promtool check rules FILE` reports, or its whole output when it refuses the file (an exact count
 * lets a lost or extra rule fail the test that compares it).
 */
export function promtoolRuleCount(file: string): number | string {
  const r = promtool('check', 'rules', file);
  const m = /^ {2}SUCCESS: (\d+) rules found$/m.exec(r.stdout);
  return r.status === 0 && m ? Number(m[1]) : `${r.stdout}${r.stderr}`;
}
