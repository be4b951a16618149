// Runs a runbook's shell commands the way a reader pastes them: one bash session per block (a variable or
// function a command defines is there for the next one), as root, from the repository root, no profile.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO } from './config';
import { Command, FAILURE_TEXT } from './runbooks';

export const bashAccepts = (text: string) => spawnSync('bash', ['-n'], { input: text }).status === 0;

const withoutHarmless = (output: string, harmless?: string) =>
  harmless
    ? output
        .split('\n')
        .filter((l) => !l.includes(harmless))
        .join('\n')
    : output;

export interface Ran {
  cmd: Command;
  code: number | undefined; // undefined: never ran (an earlier command hung the session past the timeout)
  output: string;
  ok: boolean;
}

/** Runs the commands in order in one session; each one's exit status and output (stdout + stderr) recorded. */
export function runSession(cmds: Command[], timeoutMs = 120000): Ran[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-'));
  try {
    const script = cmds
      .map((c, i) => `{\n${c.text}\n\n} >'${dir}/${i}.out' 2>&1 </dev/null; echo $? >'${dir}/${i}.rc'`)
      .join('\n');
    spawnSync('bash', ['--noprofile', '--norc', '-c', script], {
      cwd: REPO,
      timeout: timeoutMs,
      env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', LANG: 'C.UTF-8' },
    });
    return cmds.map((cmd, i) => {
      const read = (ext: string) => {
        const f = path.join(dir, `${i}.${ext}`);
        return fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined;
      };
      const rc = read('rc');
      const output = read('out') ?? '';
      const code = rc === undefined ? undefined : Number(rc.trim());
      // A command the runbook says is refused must fail, and say so in the words the runbook quotes.
      const ok = cmd.refused
        ? code !== undefined && code !== 0 && output.includes(cmd.refused)
        : code === 0 && !FAILURE_TEXT.test(withoutHarmless(output, cmd.harmless));
      return { cmd, code, output, ok };
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function describe(r: Ran): string {
  const status = r.code === undefined ? 'did not run (session timed out)' : `exit ${r.code}`;
  return `line ${r.cmd.line}: ${r.cmd.text}\n→ ${status}\n${r.output.trimEnd().split('\n').slice(-15).join('\n')}`;
}
