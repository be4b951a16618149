// The plugins in dist/ (the app and its nested data source and panel), read from their plugin.json like Grafana's
// plugin loader does, with the meta fields the frontend receives (module, baseUrl, info…).
import fs from 'node:fs';
import path from 'node:path';

export interface PluginJSON {
  id: string;
  type: 'app' | 'datasource' | 'panel';
  name: string;
  info: { version: string; logos: { small: string; large: string }; [k: string]: unknown };
  includes?: Array<{ type: string; name?: string; path?: string; [k: string]: unknown }>;
  backend?: boolean;
  executable?: string;
  [k: string]: unknown;
}

export interface LoadedPlugin {
  json: PluginJSON;
  /** Folder on disk (dist/, dist/datasource, …). */
  dir: string;
  /** public/plugins/<id> */
  baseUrl: string;
  module: string;
}

export function loadPlugins(distDir: string): Map<string, LoadedPlugin> {
  const out = new Map<string, LoadedPlugin>();
  const rootFile = path.join(distDir, 'plugin.json');
  if (!fs.existsSync(rootFile)) {
    throw new Error(`${rootFile} not found: run 'npm run build' first`);
  }
  const add = (dir: string) => {
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'plugin.json'), 'utf8')) as PluginJSON;
    const baseUrl = `public/plugins/${json.id}`;
    const withUrls = (p: string) => (p && !/^(https?:)?\//.test(p) ? `${baseUrl}/${p}` : p);
    json.info = {
      ...json.info,
      logos: { small: withUrls(json.info.logos?.small ?? ''), large: withUrls(json.info.logos?.large ?? '') },
    };
    out.set(json.id, { json, dir, baseUrl, module: `${baseUrl}/module.js` });
    return json;
  };
  const root = add(distDir);
  for (const inc of root.includes ?? []) {
    if ((inc.type === 'datasource' || inc.type === 'panel') && inc.path) {
      add(path.join(distDir, path.dirname(inc.path)));
    }
  }
  return out;
}

/** The shape of /api/plugins/<id>/settings and of the page's plugin meta. */
export function pluginMeta(
  p: LoadedPlugin,
  extra: { enabled: boolean; pinned: boolean; jsonData: object; secureJsonFields: object }
) {
  return {
    ...p.json,
    module: p.module,
    baseUrl: p.baseUrl,
    enabled: extra.enabled,
    pinned: extra.pinned,
    jsonData: extra.jsonData,
    secureJsonFields: extra.secureJsonFields,
    defaultNavUrl: p.json.type === 'app' ? `/a/${p.json.id}/slos` : undefined,
    hasUpdate: false,
    latestVersion: '',
    state: '',
    signature: 'unsigned',
    signatureType: '',
    signatureOrg: '',
    angularDetected: false,
    loadingStrategy: 'script',
    moduleHash: '',
    extensions: { addedLinks: [], addedComponents: [], exposedComponents: [], extensionPoints: [], addedFunctions: [] },
    dependencies: p.json.dependencies ?? { grafanaDependency: '', plugins: [] },
  };
}
