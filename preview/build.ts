// Bundles the preview shell (preview/shell/index.tsx) with esbuild into preview/.build/shell.js.
import path from 'node:path';
import { build } from 'esbuild';

export async function buildShell(repoRoot: string, opts: { minify?: boolean } = {}): Promise<string> {
  const outdir = path.join(repoRoot, 'preview', '.build');
  await build({
    entryPoints: [path.join(repoRoot, 'preview', 'shell', 'index.tsx')],
    bundle: true,
    outfile: path.join(outdir, 'shell.js'),
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    jsx: 'automatic',
    sourcemap: true,
    minify: opts.minify ?? true,
    legalComments: 'none',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
    alias: {
      'grafana-runtime-internal/PluginPage': path.join(
        repoRoot,
        'node_modules/@grafana/runtime/dist/esm/components/PluginPage.mjs'
      ),
      'grafana-runtime-internal/PanelRenderer': path.join(
        repoRoot,
        'node_modules/@grafana/runtime/dist/esm/components/PanelRenderer.mjs'
      ),
    },
    loader: { '.svg': 'text', '.woff2': 'empty', '.css': 'empty' },
  });
  return outdir;
}

if (require.main === module) {
  const started = Date.now();
  buildShell(path.resolve(__dirname, '..'))
    .then((d) => console.log(`preview shell built in ${Date.now() - started} ms → ${d}/shell.js`))
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
