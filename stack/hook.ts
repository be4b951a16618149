// Host-change hook: pg_auto_failover has none, so this follows the monitor's LISTEN state channel and points
// PgBouncer at the node whose reportedState = goalState ∈ {single, wait_primary, primary}. Not at
// stop_replication: that node is promoted but still read-only. A poll covers notifications lost while
// disconnected (they are not queued) and retries a switch that did not take: the hook compares the monitor's
// primary with where PgBouncer really routes (SHOW DATABASES), so a failed RELOAD is retried until it holds.
// stack/supervise.ts restarts this process if it dies.
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { DB, MONITOR_SU, dirs } from './lib/config';
import { primaryPort } from './lib/formation';
import { parseNotice, plan, worthChecking } from './lib/hookState';
import { admin, configuredPort, routedPort, writeConfig } from './lib/pgbouncer';

const log = (s: string) => console.log(`${new Date().toISOString()} ${s}`);
const statusFile = path.join(dirs.run, 'hook.json');
const POLL_MS = 5000;
const RETRY_MS = 1000; // while PgBouncer routes somewhere else than the primary
let busy = false;
let retry: NodeJS.Timeout | undefined;

async function sync(reason: string) {
  if (busy) {
    return;
  }
  busy = true;
  let again = false;
  try {
    const primary = await primaryPort();
    const routed = await routedPort();
    const step = plan(primary, routed, configuredPort());
    if (step === 'nothing' || primary === undefined) {
      return;
    }
    if (step === 'rewrite-and-reload') {
      writeConfig(primary);
    }
    // RELOAD re-reads the target; KILL drops connections still on the old node at once (they would only
    // close when released otherwise); RESUME lets the waiting clients in against the new target.
    await admin('RELOAD', `KILL ${DB}`, `RESUME ${DB}`);
    const now = await routedPort();
    if (now !== primary) {
      again = true;
      log(`PgBouncer still routes ${DB} to port ${now} after RELOAD (primary ${primary}); retrying (${reason})`);
      return;
    }
    fs.writeFileSync(
      statusFile,
      JSON.stringify({ target: primary, from: routed, switchedAt: new Date().toISOString(), reason, step }) + '\n'
    );
    log(
      `switched PgBouncer ${DB} from port ${routed} to ${primary} (${reason}${step === 'reload' ? ', retried' : ''})`
    );
  } catch (e) {
    again = true;
    log(`sync failed (${reason}): ${(e as Error).message}; retrying`);
  } finally {
    busy = false;
    if (again && !retry) {
      retry = setTimeout(() => ((retry = undefined), void sync('retry')), RETRY_MS);
    }
  }
}

async function listen() {
  for (;;) {
    const c = new Client(MONITOR_SU);
    try {
      await c.connect();
      await c.query('LISTEN state');
      log('listening on monitor channel state');
      await sync('connect');
      c.on('notification', (n) => {
        const notice = parseNotice(n.payload);
        if ('unreadable' in notice) {
          log(`notification on state ignored (${notice.unreadable}); checking the monitor instead`);
        }
        if (worthChecking(notice)) {
          void sync('unreadable' in notice ? 'notify (unreadable)' : `notify ${notice.name} ${notice.reportedState}`);
        }
      });
      await new Promise((_, reject) => c.on('error', reject).on('end', () => reject(new Error('connection ended'))));
    } catch (e) {
      log(`monitor connection: ${(e as Error).message}; retrying`);
      await c.end().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

// A hook whose parent (the supervisor, or tsx) is gone exits: killed hard, the supervisor cannot stop its child,
// and an orphaned hook would keep switching PgBouncer beside the one `up` starts next.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) {
    log(`parent ${parent} is gone; exiting so that only one hook runs`);
    process.exit(0);
  }
  void sync('poll');
}, POLL_MS);
void listen();
