/** The SLO panel's options (saved in the dashboard JSON; scripts/dashboards writes them for the NOC wall). */
export interface SloPanelOptions {
  /** Prometheus data source whose rules API lists the SLOs; empty = the one the Veza SLO app is configured with. */
  prometheusUid: string;
  /** SLO ids to show, comma-separated, in this order when `order` is "listed"; empty = every SLO. */
  slos: string;
  order: 'worst' | 'listed';
  /** compact: dashboard-sized tiles; wall: tiles and type for a NOC screen. */
  size: 'compact' | 'wall';
  /** How often the panel reads Prometheus itself (it runs no panel query); a dashboard refresh reloads it too. */
  refresh: string;
}

export const DEFAULT_OPTIONS: SloPanelOptions = {
  prometheusUid: '',
  slos: '',
  order: 'worst',
  size: 'compact',
  refresh: '1m',
};
