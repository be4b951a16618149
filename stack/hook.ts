// Host-change hook: pg_auto_failover has none, so this follows the monitor's LISTEN state channel and points
// PgBouncer at the node whose reportedState = goalState ∈ {single, wait_primary, primary}. Not at
// stop_replication: that node is promoted but still read-only. A 5 s poll covers notifications lost while
// disconnected (they are not queued).
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { DB, MONITOR_SU, dirs } from './lib/config';
import { primaryPort } from './lib/formation';
import { admin, configuredPort, writeConfig } from './lib/pgbouncer';

const log = (s: string) => console.log(`${new Date().toISOString()} ${s}`);
const statusFile = path.join(dirs.run, 'hook.json');
let busy = false;

async function sync(reason: string) {
  if (busy) {
    return;
  }
  busy = true;
  try {
    const port = await primaryPort();
    if (!port || port === configuredPort()) {
      return;
    }
    const from = configuredPort();
    writeConfig(port);
    // RELOAD re-reads the target; KILL drops connections still on the old node at once (they would only
    // close when released otherwise); RESUME lets the waiting clients in against the new target.
    await admin('RELOAD', `KILL ${DB}`, `RESUME ${DB}`);
    fs.writeFileSync(
      statusFile,
      JSON.stringify({ target: port, from, switchedAt: new Date().toISOString(), reason }) + '\n'
    );
    log(`switched PgBouncer ${DB} from port ${from} to ${port} (${reason})`);
  } catch (e) {
    log(`sync failed (${reason}): ${(e as Error).message}`);
  } finally {
    busy = false;
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
        const p = JSON.parse(n.payload ?? '{}');
        if (p.reportedState === p.goalState && ['single', 'wait_primary', 'primary'].includes(p.reportedState)) {
          void sync(`notify ${p.name} ${p.reportedState}`);
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

setInterval(() => void sync('poll'), 5000);
void listen();
