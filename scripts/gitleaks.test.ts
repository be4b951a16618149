// Secret scanning with gitleaks (scripts/suites/12-secrets.sh; the scanner Veza's CI runs, built by scripts/setup.sh
// into .tools/, rules in .gitleaks.toml): the working tree and every commit of the history. A planted token in a
// throw-away repository proves the scanner really finds one, so a scanner that silently scans nothing cannot pass.
// Findings are listed by file, line and rule, never with the secret (--redact).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

const GITLEAKS = path.resolve('.tools/bin/gitleaks');
const reports = process.env.VEZA_RESULTS ?? fs.mkdtempSync(path.join(os.tmpdir(), 'veza-gitleaks-'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'veza-canary-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Finding {
  File: string;
  StartLine: number;
  RuleID: string;
  Commit: string;
}

/** Runs one gitleaks scan with a JSON report; its findings (an empty list when it found nothing). */
function scan(name: string, args: string[], config = true): Finding[] {
  assert.ok(fs.existsSync(GITLEAKS), `${GITLEAKS} is missing: bash scripts/setup.sh builds it`);
  const report = path.join(reports, `gitleaks.${name}.json`);
  const r = spawnSync(
    GITLEAKS,
    [...args, '--no-banner', '--redact', ...(config ? ['-c', '.gitleaks.toml'] : []), '-f', 'json', '-r', report],
    { encoding: 'utf8' }
  );
  // gitleaks exits 1 when it finds a leak; anything else non-zero is a failure to scan.
  assert.ok(r.status === 0 || r.status === 1, `gitleaks ${args[0]} exited ${r.status}: ${r.stderr.slice(-1000)}`);
  return JSON.parse(fs.readFileSync(report, 'utf8')) as Finding[];
}

const where = (f: Finding) =>
  `${f.File}:${f.StartLine} ${f.RuleID}${f.Commit ? ` (commit ${f.Commit.slice(0, 10)})` : ''}`;

test('gitleaks: the working tree has no secret', () => {
  assert.deepEqual(scan('tree', ['dir', '.']).map(where), []);
});

test('gitleaks: no commit in the history added a secret', () => {
  assert.deepEqual(scan('history', ['git', '.']).map(where), []);
});

test('gitleaks finds a planted GitHub token (the scan is not blind)', () => {
  const repo = path.join(tmp, 'canary');
  const git = (...a: string[]) => execFileSync('git', ['-C', repo, ...a], { stdio: 'pipe' });
  fs.mkdirSync(repo);
  git('init', '-q');
  const token = randomBytes(48)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 36);
  fs.writeFileSync(path.join(repo, '.env'), `GITHUB_TOKEN=ghp_${token}\n`);
  git('add', '.env');
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'canary');
  const found = scan('canary', ['git', repo], false);
  assert.ok(found.length >= 1, `gitleaks found ${found.length} secrets in a repository holding a planted GitHub token`);
});
