// How runbook markdown becomes commands and queries (stack/lib/runbooks.ts); bash -n is the real one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blocks, commands, firstMention, forSeconds, lint, queries, statedMismatch } from '../lib/runbooks';
import { bashAccepts } from '../lib/runbookShell';

const md = [
  '# t', // 1
  '```bash', // 2
  '# a comment', // 3
  'S=/x', // 4
  'f() { echo \\', // 5
  '  "$S"; }', // 6
  'psql -c \\', // 7
  '  "select 1"', // 8
  'for p in 1 2; do', // 9
  '  echo $p; done', // 10
  'certbot renew   # not on the stack: no certbot here', // 11
  '```', // 12
  '<!-- not-on-stack: production only -->', // 13
  '```bash', // 14
  'systemctl status x', // 15
  '```', // 16
  '<!-- drill: db-failover -->', // 17
  '```bash', // 18
  'pgaf perform failover', // 19
  '```', // 20
  '```promql', // 21
  '# first', // 22
  'sum(rate(x[5m]))', // 23
  '  / sum(rate(y[5m]))', // 24
  '', // 25
  'up', // 26
  '```', // 27
].join('\n');

test('blocks: language, fence line and the marker on the line before', () => {
  const b = blocks(md);
  assert.deepEqual(
    b.map((x) => [x.lang, x.line, x.skip, x.drill]),
    [
      ['bash', 2, undefined, undefined],
      ['bash', 14, 'production only', undefined],
      ['bash', 18, undefined, 'db-failover'],
      ['promql', 21, undefined, undefined],
    ]
  );
});

test('commands: continuations, function bodies and loops stay whole; comments are not commands', () => {
  const c = commands(blocks(md)[0], bashAccepts);
  assert.deepEqual(
    c.map((x) => [x.line, x.text.split('\n').length, x.skip]),
    [
      [4, 1, undefined],
      [5, 2, undefined],
      [7, 2, undefined],
      [9, 2, undefined],
      [11, 1, 'no certbot here'],
    ]
  );
  assert.deepEqual(
    commands(blocks(md)[1], bashAccepts).map((x) => x.skip),
    ['production only']
  );
});

test('a drill command marked refused carries the text its failure must show', () => {
  const c = commands(
    { lang: 'bash', line: 1, body: 'pgaf perform failover   # refused: not a candidate' },
    bashAccepts
  );
  assert.equal(c[0].refused, 'not a candidate');
  assert.equal(c[0].skip, undefined);
});

test('a harmless marker names output that is not a failure', () => {
  const c = commands(
    { lang: 'bash', line: 1, body: 'pgaf perform failover   # harmless: invalid input syntax' },
    bashAccepts
  );
  assert.equal(c[0].harmless, 'invalid input syntax');
});

test('an unterminated command is reported, not silently dropped', () => {
  const c = commands({ lang: 'bash', line: 1, body: 'echo "open' }, bashAccepts);
  assert.equal(c.length, 1);
  assert.match(c[0].skip ?? '', /unterminated/);
});

test('queries: a query may span lines; comments and blank lines separate them', () => {
  assert.deepEqual(
    queries(blocks(md)[3]).map((q) => [q.line, q.text]),
    [
      [23, 'sum(rate(x[5m]))\n  / sum(rate(y[5m]))'],
      [26, 'up'],
    ]
  );
});

test('lint: curl must fail on HTTP errors', () => {
  assert.match(lint("curl -s -o /dev/null -w '%{http_code}' http://x/") ?? '', /--fail/);
  for (const ok of [
    'curl -fsS http://x/',
    'curl -sf http://x/',
    'curl --fail -s http://x/',
    'curl -i --fail-with-body http://x/',
    'psql -c "select 1"',
  ]) {
    assert.equal(lint(ok), undefined, ok);
  }
});

test('a marker still counts with blank lines before the fence (prettier adds one after an HTML comment)', () => {
  const b = blocks(
    ['<!-- drill: db-failover -->', '', '```bash', 'pgaf drop node', '```', 'text', '```bash', 'x', '```'].join('\n')
  );
  assert.deepEqual(
    b.map((x) => x.drill),
    ['db-failover', undefined]
  );
});

test('statedMismatch: a severity or delay the rules do not have', () => {
  const md = 'x `RedisDown` (page: `redis_up == 0` for 1 minute on a target). More text for 9 minutes.';
  const text = firstMention(md, 'RedisDown')!;
  assert.equal(text, '`RedisDown` (page: `redis_up == 0` for 1 minute on a target)');
  assert.equal(statedMismatch(text, ['page'], [forSeconds('1m')]), undefined);
  assert.match(statedMismatch(text, ['ticket'], [60]) ?? '', /says page/);
  assert.match(statedMismatch(text, ['page'], [forSeconds('10m')]) ?? '', /for 1 minute/);
  assert.equal(statedMismatch('`X` (ticket, `for: 10m`)', ['ticket'], [600]), undefined);
  assert.match(statedMismatch('`X` fires after a minute', ['ticket'], [600]) ?? '', /after a minute/);
  assert.equal(firstMention(md, 'Nope'), undefined);
});
