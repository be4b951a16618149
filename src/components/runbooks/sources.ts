/**
 * The runbooks of docs/runbooks/*.md, bundled at build time as text (webpack `asset/source`, see
 * webpack.config.ts). Jest has no require.context: tests mock this module.
 */
interface MdContext {
  keys(): string[];
  (id: string): string | { default: string };
}

declare const require: { context: (dir: string, recursive: boolean, re: RegExp) => MdContext };

export interface RunbookSource {
  name: string;
  markdown: string;
}

export function bundledRunbooks(): RunbookSource[] {
  const ctx = require.context('../../../docs/runbooks', false, /\.md$/);
  return ctx
    .keys()
    .map((k) => {
      const mod = ctx(k);
      return {
        name: k.replace(/^\.\//, '').replace(/\.md$/, ''),
        markdown: typeof mod === 'string' ? mod : mod.default,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
