// The generator's command line on bad input (scripts/rules/generate.ts): a malformed spec or option exits 2 with a
// message naming the field, leaves both output files as they were and no temporary file behind, and never repeats
// a secret. Each case edits one field of the committed spec (provisioning/slo/slos.yaml) and runs the real CLI.
// Needs promtool on PATH (one case is refused by promtool alone).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { generate, root } from './commands';

jest.setTimeout(60_000); // each test spawns tsx; a loaded 2-core machine takes seconds per spawn

const SPEC = 'provisioning/slo/slos.yaml';
const specText = fs.readFileSync(path.join(root, SPEC), 'utf8');

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'veza-rules-cli-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** `from` → `to` in one string field; throws when the spec no longer holds `from`, so no case goes vacuous. */
function replaced(value: unknown, from: string, to: string): string {
  if (typeof value !== 'string' || !value.includes(from)) {
    throw new Error(`the spec no longer holds ${JSON.stringify(from)} where this case expects it`);
  }
  return value.replace(from, to);
}

/** The committed spec with one change, written to a file of its own. */
function specWith(name: string, change: (doc: any) => void): string {
  const doc = yaml.load(specText) as any;
  change(doc);
  const file = path.join(tmp, `${name}.yaml`);
  fs.writeFileSync(file, yaml.dump(doc, { lineWidth: -1 }));
  return file;
}

/**
 * Runs the generator on SPEC with OPTIONS into sentinel output files; expects exit 2, a message containing FIELD,
 * both outputs untouched and no `*.tmp-*` file left next to them.
 */
function expectRefused(name: string, field: string, spec: string, ...options: string[]) {
  const dir = fs.mkdtempSync(path.join(tmp, `${name}-`));
  const out = path.join(dir, 'out.yml');
  const guardsOut = path.join(dir, 'out-guards.yml');
  fs.writeFileSync(out, 'sentinel\n');
  fs.writeFileSync(guardsOut, 'sentinel\n');
  const r = generate('--spec', spec, '--out', out, ...options);
  const message = r.stdout + r.stderr;
  expect({ status: r.status, message }).toMatchObject({ status: 2 });
  expect(message).toContain(field);
  expect(fs.readFileSync(out, 'utf8')).toBe('sentinel\n');
  expect(fs.readFileSync(guardsOut, 'utf8')).toBe('sentinel\n');
  expect(fs.readdirSync(dir).sort()).toEqual(['out-guards.yml', 'out.yml']);
}

describe('malformed specs: exit 2, the field named, nothing written', () => {
  const cases: Array<[string, string, (doc: any) => void]> = [
    ['malformed spec: objective 1.5', 'slos[0].objective', (d) => (d.slos[0].objective = 1.5)],
    ['malformed spec: objective "99,5"', 'slos[0].objective', (d) => (d.slos[0].objective = '99,5')],
    [
      'malformed spec: unknown window 90m',
      'alertPolicy.FastBurn.longWindow',
      (d) => (d.alertPolicy.FastBurn.longWindow = replaced(d.alertPolicy.FastBurn.longWindow, '1h', '90m')),
    ],
    ['malformed spec: missing SLI', 'slos[0].sli', (d) => delete d.slos[0].sli],
    [
      'malformed spec: for: 5m5m',
      'alertPolicy.FastBurn.for: "5m5m"',
      (d) => (d.alertPolicy.FastBurn.for = replaced(d.alertPolicy.FastBurn.for, '2m', '5m5m')),
    ],
    [
      'malformed spec: for: 0m',
      'alertPolicy.SlowBurn.for: "0m" is zero',
      (d) => (d.alertPolicy.SlowBurn.for = replaced(d.alertPolicy.SlowBurn.for, '15m', '0m')),
    ],
    [
      'malformed spec: overflowing for',
      'alertPolicy.FastBurn.for: "999999999h" overflows',
      (d) => (d.alertPolicy.FastBurn.for = replaced(d.alertPolicy.FastBurn.for, '2m', '999999999h')),
    ],
    [
      'malformed spec: {{ in a title',
      'slos[0].title: must not contain {{',
      (d) => (d.slos[0].title = replaced(d.slos[0].title, 'availability', '{{ $value }}')),
    ],
    [
      'malformed spec: }} in a description',
      'slos[0].description: must not contain {{',
      (d) => (d.slos[0].description = `}} ${d.slos[0].description}`),
    ],
    [
      'malformed spec: {{ in an owner',
      'slos[2].owner: must not contain {{',
      (d) => (d.slos[2].owner = replaced(d.slos[2].owner, 'payments-team', '{{ .Labels }}')),
    ],
    [
      'malformed spec: unquoted label value',
      'slos[0].sli.valid: not a valid selector',
      (d) => (d.slos[0].sli.valid = replaced(d.slos[0].sli.valid, 'method="GET"}', 'method=GET}')),
    ],
    [
      'malformed spec: regex that does not compile',
      'slos[1].sli.good: not a valid selector: the regex of method does not compile',
      (d) =>
        (d.slos[1].sli.good = replaced(d.slos[1].sli.good, 'method=~"POST|PUT|PATCH|DELETE"', 'method=~"(POST|PUT"')),
    ],
    [
      // A regex JavaScript compiles and RE2 refuses (repeat count over 1000): only promtool can catch it.
      'promtool refuses what the checker lets through (RE2 repeat > 1000): nothing written',
      'promtool check rules refused',
      (d) => (d.slos[0].sli.valid = replaced(d.slos[0].sli.valid, 'method="GET"}', 'method=~"G{1001}"}')),
    ],
  ];
  test.each(cases)('%s', (name, field, change) => {
    expectRefused(name.replace(/\W+/g, '-'), field, specWith(name.replace(/\W+/g, '-'), change));
  });
});

describe('bad --grafana-url values: exit 2, nothing written', () => {
  test.each([
    ['credentials', 'https://admin:s3cret@grafana.example.com'],
    ['query string', 'https://grafana.example.com/?orgId=1'],
    ['fragment', 'https://grafana.example.com/#top'],
    ['{{ or }}', 'https://grafana.example.com/{{ .x }}'],
  ])('generator refuses --grafana-url with a %s', (what, url) => {
    expectRefused(what.replace(/\W+/g, '-'), '--grafana-url: must not', SPEC, '--grafana-url', url);
  });

  test('generator never repeats --grafana-url credentials in its error', () => {
    const r = generate(
      '--out',
      path.join(tmp, 'secret.yml'),
      '--grafana-url',
      'https://admin:s3cret@grafana.example.com'
    );
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).not.toContain('s3cret');
  });
});
