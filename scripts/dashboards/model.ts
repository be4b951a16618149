// The parts of Grafana's dashboard JSON model the tests and the preview host read (a dashboard as shipped in
// src/dashboards/), and walks over it.
export interface Ref {
  type?: string;
  uid?: string;
}
export interface Target {
  refId?: string;
  datasource?: Ref;
  expr?: string;
  legendFormat?: string;
  instant?: boolean;
  queryType?: string;
  [k: string]: unknown;
}
export interface Panel {
  type: string;
  title?: string;
  description?: string;
  datasource?: Ref;
  targets?: Target[];
  gridPos?: { x: number; y: number; w: number; h: number };
  interval?: string;
  panels?: Panel[];
  fieldConfig?: {
    defaults: {
      thresholds?: { steps: Array<{ value: number | null; color: string }> };
      custom?: Record<string, unknown>;
    };
  };
}
export interface Dashboard {
  uid: string;
  title: string;
  panels?: Panel[];
  templating?: { list: Array<{ name: string; type: string; query?: unknown; datasource?: Ref }> };
  annotations?: { list: Array<{ name: string; datasource?: Ref; target?: Target; builtIn?: number }> };
}

/** Every panel, rows' collapsed children included. */
export const allPanels = (d: Dashboard): Panel[] => (d.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);

/** Every data source reference of a dashboard, with where it sits. */
export function datasourceRefs(d: Dashboard): Array<{ where: string; ref: Ref }> {
  const out: Array<{ where: string; ref: Ref }> = [];
  for (const p of allPanels(d)) {
    if (p.datasource) {
      out.push({ where: `panel ${p.title}`, ref: p.datasource });
    }
    for (const t of p.targets ?? []) {
      out.push({ where: `panel ${p.title} target ${t.refId}`, ref: t.datasource ?? p.datasource ?? {} });
    }
  }
  for (const v of d.templating?.list ?? []) {
    if (v.datasource) {
      out.push({ where: `variable ${v.name}`, ref: v.datasource });
    }
  }
  for (const a of (d.annotations?.list ?? []).filter((x) => !x.builtIn)) {
    out.push({ where: `annotation ${a.name}`, ref: a.datasource ?? {} });
  }
  return out;
}
