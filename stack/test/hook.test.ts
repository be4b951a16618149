import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseNotice, plan, worthChecking } from '../lib/hookState';

test('the monitor’s own payload is read; a writable node in its goal state is worth a check', () => {
  const n = parseNotice(
    '{"type":"state","formation":"default","groupId":0,"nodeId":2,"name":"node2","host":"127.0.0.1","port":6002,"reportedState":"primary","goalState":"primary","health":"good"}'
  );
  assert.deepEqual(n, { name: 'node2', reportedState: 'primary', goalState: 'primary' });
  assert.ok(worthChecking(n));
  assert.ok(!worthChecking({ name: 'node2', reportedState: 'stop_replication', goalState: 'wait_primary' }));
  assert.ok(!worthChecking({ name: 'node1', reportedState: 'secondary', goalState: 'secondary' }));
});

test('garbage on the channel never throws: it is unreadable and still makes the hook look at the monitor', () => {
  for (const payload of [
    'garbage',
    '',
    undefined,
    'null',
    '[]',
    '{"reportedState":1}',
    '{}',
    '{"goalState":"primary"}',
  ]) {
    const n = parseNotice(payload);
    assert.ok('unreadable' in n, String(payload));
    assert.ok(worthChecking(n));
  }
});

test('the plan follows where PgBouncer really routes, not what its ini file says', () => {
  assert.equal(plan(6001, 6001, 6001), 'nothing');
  assert.equal(plan(undefined, 6001, 6001), 'nothing', 'no writable node: nothing to switch to');
  assert.equal(plan(6002, 6001, 6001), 'rewrite-and-reload', 'a failover');
  // The RELOAD after the last rewrite failed: the file names the new primary, PgBouncer still the old one.
  assert.equal(plan(6002, 6001, 6002), 'reload');
  assert.equal(plan(6002, undefined, 6002), 'reload', 'PgBouncer lost its database entry');
});
