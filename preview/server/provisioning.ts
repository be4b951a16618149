// Reads provisioning/datasources/*.yaml and provisioning/plugins/*.yaml the way Grafana does, so the preview host
// and a real Grafana (docker-compose.yaml) see the same settings. Only the parts a plugin can observe are kept.
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

/** A data source as Grafana stores it (GET /api/datasources/uid/<uid>), plus its decrypted secrets. */
export interface DataSourceSetting {
  id: number;
  uid: string;
  orgId: number;
  name: string;
  type: string;
  access: string;
  url: string;
  user: string;
  database: string;
  basicAuth: boolean;
  basicAuthUser: string;
  isDefault: boolean;
  readOnly: boolean;
  jsonData: JsonObject;
  /** Decrypted values; the browser only ever sees secureJsonFields. */
  secureJsonData: Record<string, string>;
  version: number;
  /** lastUpdatedMS for the backend's instance cache: bumped on every save. */
  updated: number;
}

export interface AppSetting {
  type: string;
  orgId: number;
  enabled: boolean;
  pinned: boolean;
  jsonData: JsonObject;
  secureJsonData: Record<string, string>;
}

export interface Provisioning {
  datasources: DataSourceSetting[];
  apps: AppSetting[];
}

/**
 * Expands `$VAR`, `${VAR}` and `${VAR:-default}` as Grafana's provisioning does (pkg/services/provisioning/values).
 * Unknown variables without a default become ''.
 */
export function expandEnv(s: string, env: NodeJS.ProcessEnv): string {
  return s.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_m, braced, def, bare) => {
      const name = (braced ?? bare) as string;
      const v = env[name];
      if (v !== undefined && v !== '') {
        return v;
      }
      return def ?? '';
    }
  );
}

/** Walks a parsed YAML value and expands every string in it (Grafana expands values, never keys). */
export function expandDeep(v: unknown, env: NodeJS.ProcessEnv): Json {
  if (typeof v === 'string') {
    return expandEnv(v, env);
  }
  if (Array.isArray(v)) {
    return v.map((x) => expandDeep(x, env));
  }
  if (v && typeof v === 'object') {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) {
      out[k] = expandDeep(x, env);
    }
    return out;
  }
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) {
    return v;
  }
  return null;
}

function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

function obj(v: Json | undefined): JsonObject {
  return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
}
function str(v: Json | undefined, d = ''): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : d;
}
function bool(v: Json | undefined, d: boolean): boolean {
  return typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : d;
}
function strings(v: Json | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(obj(v))) {
    out[k] = str(x);
  }
  return out;
}

/** Loads provisioning/ (the folder Grafana mounts at /etc/grafana/provisioning). */
export function loadProvisioning(root: string, env: NodeJS.ProcessEnv = process.env, now = Date.now()): Provisioning {
  const datasources: DataSourceSetting[] = [];
  for (const file of yamlFiles(path.join(root, 'datasources'))) {
    const doc = obj(expandDeep(yaml.load(fs.readFileSync(file, 'utf8')), env));
    const list = doc.datasources;
    if (!Array.isArray(list)) {
      continue;
    }
    for (const raw of list) {
      const d = obj(raw);
      const name = str(d.name);
      const type = str(d.type);
      if (!name || !type) {
        throw new Error(`${file}: every data source needs a name and a type`);
      }
      datasources.push({
        id: datasources.length + 1,
        uid: str(d.uid) || name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
        orgId: Number(str(d.orgId, '1')) || 1,
        name,
        type,
        access: str(d.access, 'proxy'),
        url: str(d.url),
        user: str(d.user),
        database: str(d.database),
        basicAuth: bool(d.basicAuth, false),
        basicAuthUser: str(d.basicAuthUser),
        isDefault: bool(d.isDefault, false),
        readOnly: !bool(d.editable, false),
        jsonData: obj(d.jsonData),
        secureJsonData: strings(d.secureJsonData),
        version: 1,
        updated: now,
      });
    }
  }
  const seen = new Set<string>();
  for (const d of datasources) {
    if (seen.has(d.uid)) {
      throw new Error(`two provisioned data sources share uid "${d.uid}"`);
    }
    seen.add(d.uid);
  }

  const apps: AppSetting[] = [];
  for (const file of yamlFiles(path.join(root, 'plugins'))) {
    const doc = obj(expandDeep(yaml.load(fs.readFileSync(file, 'utf8')), env));
    const list = doc.apps;
    if (!Array.isArray(list)) {
      continue;
    }
    for (const raw of list) {
      const a = obj(raw);
      apps.push({
        type: str(a.type),
        orgId: Number(str(a.org_id, '1')) || 1,
        enabled: !bool(a.disabled, false),
        pinned: true,
        jsonData: obj(a.jsonData),
        secureJsonData: strings(a.secureJsonData),
      });
    }
  }
  return { datasources, apps };
}

/** secureJsonFields as Grafana shows them: which secrets are set, never their values. */
export function secureJsonFields(secure: Record<string, string>): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const [k, v] of Object.entries(secure)) {
    if (v !== '') {
      out[k] = true;
    }
  }
  return out;
}

/** The JSON Grafana returns for GET /api/datasources/uid/<uid> (no secrets). */
export function dataSourceDTO(d: DataSourceSetting) {
  return {
    id: d.id,
    uid: d.uid,
    orgId: d.orgId,
    name: d.name,
    type: d.type,
    typeLogoUrl: '',
    access: d.access,
    url: d.url,
    user: d.user,
    database: d.database,
    basicAuth: d.basicAuth,
    basicAuthUser: d.basicAuthUser,
    withCredentials: false,
    isDefault: d.isDefault,
    jsonData: d.jsonData,
    secureJsonFields: secureJsonFields(d.secureJsonData),
    version: d.version,
    readOnly: d.readOnly,
    apiVersion: '',
  };
}
