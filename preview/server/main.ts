// Entry point: `npx tsx preview/server/main.ts [--port 3000] [--host 127.0.0.1]`.
// Builds the shell page, reads provisioning/, serves dist/ and starts the data source backend on first use.
import path from 'node:path';
import { buildShell } from '../build';
import { PreviewHost } from './host';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
}

async function main() {
  const repoRoot = path.resolve(__dirname, '..', '..');
  const host = arg('host', process.env.PREVIEW_HOST ?? '127.0.0.1');
  const port = Number(arg('port', process.env.PREVIEW_PORT ?? '3000'));
  const shellDir = await buildShell(repoRoot);
  const app = new PreviewHost({ repoRoot, host, port, shellDir, eagerBackends: true });
  await app.listen();
  console.log(`[preview] Veza SLO preview host on http://${host}:${port}/a/veza-slo-app/slos`);
  let closing = false;
  const stop = (sig: string) => {
    if (closing) {
      return;
    }
    closing = true;
    console.log(`[preview] ${sig}: stopping backends`);
    app.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 4000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error(`[preview] ${(e as Error).message}`);
  process.exit(1);
});
