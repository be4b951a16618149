// `tsx stack/supervise.ts <script.ts>`: runs a stack helper (the PgBouncer hook) and starts it again when it
// exits, so one crash does not leave PgBouncer pointing at a dead primary until someone notices. The child shares
// this process group, so `down` (which signals the group from the pid file) stops both.
import { spawn } from 'node:child_process';

const script = process.argv[2];
if (!script) {
  console.error('usage: tsx stack/supervise.ts <script.ts>');
  process.exit(2);
}
const log = (s: string) => console.log(`${new Date().toISOString()} supervise: ${s}`);
let stopping = false;
let delay = 1000; // doubles up to 30 s while the child keeps dying within a minute of its start

function start() {
  const started = Date.now();
  const child = spawn(process.execPath, [...process.execArgv, script], { stdio: 'inherit' });
  log(`started ${script} (pid ${child.pid})`);
  const forward = (sig: NodeJS.Signals) => () => {
    stopping = true;
    child.kill(sig);
  };
  process.once('SIGTERM', forward('SIGTERM'));
  process.once('SIGINT', forward('SIGINT'));
  child.on('exit', (code, signal) => {
    process.removeAllListeners('SIGTERM').removeAllListeners('SIGINT');
    if (stopping) {
      process.exit(0);
    }
    delay = Date.now() - started > 60000 ? 1000 : Math.min(delay * 2, 30000);
    log(`${script} exited (${signal ?? `code ${code}`}); starting it again in ${delay / 1000} s`);
    setTimeout(start, delay);
  });
}
start();
