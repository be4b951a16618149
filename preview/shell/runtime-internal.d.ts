// Aliased in preview/build.ts to @grafana/runtime's own files (the same module instances the index uses).
// Setters Grafana calls at startup that @grafana/runtime does not re-export from its index.
// Each `declare module` block has its own imports: they are not duplicates of one another.
/* eslint-disable no-duplicate-imports */
declare module 'grafana-runtime-internal/PluginPage' {
  import type { ComponentType } from 'react';
  import type { PluginPageProps } from '@grafana/runtime';
  export function setPluginPage(component: ComponentType<PluginPageProps>): void;
}
declare module 'grafana-runtime-internal/PanelRenderer' {
  import type { ComponentType } from 'react';
  import type { PanelRendererProps } from '@grafana/runtime';
  export function setPanelRenderer(component: ComponentType<PanelRendererProps>): void;
}
