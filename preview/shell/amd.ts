// A small AMD loader, enough for plugin bundles built by @grafana/create-plugin (webpack library type "amd"):
// `define([deps], factory)` with the host's shared modules, plus AMD's special `module` dependency whose `uri`
// gives webpack its public path for lazy chunks.

type Factory = (...deps: unknown[]) => unknown;
interface PendingDefine {
  deps: string[];
  factory: Factory | object;
}

const shared = new Map<string, unknown>();
const loaded = new Map<string, Promise<unknown>>();
const pending = new Map<string, PendingDefine>();
let anonymous: PendingDefine | undefined;

/** Registers a module the host shares with plugins (react, @grafana/data, …). */
export function provide(name: string, mod: unknown) {
  shared.set(name, mod);
}

function define(a: unknown, b?: unknown, c?: unknown) {
  // define(factory) | define(deps, factory) | define(name, deps, factory)
  let deps: string[] = [];
  let factory: Factory | object;
  if (typeof a === 'string') {
    deps = (b as string[]) ?? [];
    factory = c as Factory;
  } else if (Array.isArray(a)) {
    deps = a as string[];
    factory = b as Factory;
  } else {
    factory = a as Factory;
  }
  const src = (document.currentScript as HTMLScriptElement | null)?.src;
  const def = { deps, factory };
  if (src) {
    pending.set(src, def);
  } else {
    anonymous = def;
  }
}
(define as unknown as { amd: object }).amd = {};

export function installDefine() {
  (window as unknown as { define: typeof define }).define = define;
}

function resolveDep(name: string, uri: string): unknown {
  if (name === 'module') {
    return { id: uri, uri };
  }
  if (name === 'exports') {
    return {};
  }
  if (shared.has(name)) {
    return shared.get(name);
  }
  throw new Error(
    `plugin at ${uri} needs "${name}", which the preview host does not share (add it in preview/shell/index.tsx)`
  );
}

/** Loads public/plugins/<id>/module.js (or any AMD script) and returns its exports. */
export function importModule(path: string): Promise<unknown> {
  const uri = new URL(path.startsWith('/') ? path : `/${path}`, window.location.origin).href;
  let p = loaded.get(uri);
  if (!p) {
    p = new Promise<unknown>((resolve, reject) => {
      const s = document.createElement('script');
      s.src = uri;
      s.async = true;
      s.onload = () => {
        const def = pending.get(uri) ?? anonymous;
        pending.delete(uri);
        anonymous = undefined;
        if (!def) {
          reject(new Error(`${uri} did not call define()`));
          return;
        }
        try {
          const deps = def.deps.map((d) => resolveDep(d, uri));
          resolve(typeof def.factory === 'function' ? (def.factory as Factory)(...deps) : def.factory);
        } catch (e) {
          reject(e);
        }
      };
      s.onerror = () => reject(new Error(`could not load ${uri}`));
      document.head.appendChild(s);
    });
    loaded.set(uri, p);
    p.catch(() => loaded.delete(uri));
  }
  return p;
}

// For debugging in the browser console: window.__previewImport('public/plugins/<id>/module.js').
(window as unknown as { __previewImport: typeof importModule }).__previewImport = importModule;
