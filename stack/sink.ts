// Notification sink on 9097: Alertmanager's Slack and PagerDuty receivers post here instead of the internet.
// Every notification is kept (memory + notifications.jsonl) so tests can read what on-call would have got.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { HOST, PORTS, STATE } from './lib/config';

interface Notification {
  receivedAt: string;
  kind: 'slack' | 'pagerduty' | 'other';
  path: string;
  body: unknown;
}
const file = path.join(STATE, 'sink', 'notifications.jsonl');
fs.mkdirSync(path.dirname(file), { recursive: true });
let all: Notification[] = fs.existsSync(file)
  ? fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Notification)
  : [];

http
  .createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sink');
    if (req.method === 'GET' && url.pathname === '/notifications') {
      const since = url.searchParams.get('since');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(since ? all.filter((n) => n.receivedAt >= since) : all));
      return;
    }
    if (req.method === 'DELETE' && url.pathname === '/notifications') {
      all = [];
      fs.writeFileSync(file, '');
      res.end('cleared\n');
      return;
    }
    if (req.method !== 'POST') {
      res.statusCode = 404;
      res.end('GET/DELETE /notifications, POST /slack/..., POST /pagerduty/...\n');
      return;
    }
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        /* keep the raw text */
      }
      const kind = url.pathname.startsWith('/slack')
        ? 'slack'
        : url.pathname.startsWith('/pagerduty')
          ? 'pagerduty'
          : 'other';
      const n: Notification = { receivedAt: new Date().toISOString(), kind, path: url.pathname, body };
      all.push(n);
      fs.appendFileSync(file, JSON.stringify(n) + '\n');
      if (kind === 'pagerduty') {
        res.statusCode = 202; // Events API v2 answer
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: 'sink' }));
      } else {
        res.end('ok');
      }
    });
  })
  .listen(PORTS.sink, HOST, () => console.log(`sink listening on ${HOST}:${PORTS.sink}`));
