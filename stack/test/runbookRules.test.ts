// Runbooks true to the rules: every alert is named in the runbook its runbook_url points at, and where the
// runbook first names it, the severity and the `for:` it states are the rule's (a runbook that says "pages after
// a minute" for a 10-minute ticket sends on-call the wrong way). Reads the committed files only.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import yaml from 'js-yaml';
import { REPO } from '../lib/config';
import { firstMention, forSeconds, statedMismatch } from '../lib/runbooks';

interface Rule {
  alert?: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const RULES = ['slo.yml', 'slo-guards.yml', 'infra.yml'].map((f) => path.join(REPO, 'provisioning', 'prometheus', f));
const alerts = RULES.filter((f) => fs.existsSync(f))
  .flatMap((f) => (yaml.load(fs.readFileSync(f, 'utf8')) as { groups: Array<{ rules: Rule[] }> }).groups)
  .flatMap((g) => g.rules)
  .filter((r) => r.alert && r.annotations?.runbook_url);

// Per alert name: its severities, `for:` values (seconds) and runbook files, over all its rules (tiers).
const byName = new Map<string, { severities: Set<string>; fors: Set<number>; files: Set<string> }>();
for (const r of alerts) {
  const e = byName.get(r.alert!) ?? { severities: new Set(), fors: new Set(), files: new Set() };
  e.severities.add(r.labels?.severity ?? '');
  e.fors.add(forSeconds(r.for));
  e.files.add(/runbooks\/([\w-]+)/.exec(r.annotations!.runbook_url)![1]);
  byName.set(r.alert!, e);
}

for (const [name, e] of byName) {
  for (const file of e.files) {
    test(`${file}.md names ${name} with its rule's severity and for:`, () => {
      const md = fs.readFileSync(path.join(REPO, 'docs', 'runbooks', `${file}.md`), 'utf8');
      const text = firstMention(md, name);
      assert.ok(text, `${name} links ${file}.md, which never names it`);
      const wrong = statedMismatch(text, [...e.severities], [...e.fors]);
      assert.equal(wrong, undefined, `${file}.md on ${name}: "${text}" ${wrong}`);
    });
  }
}
