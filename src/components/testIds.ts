/** Selectors shared by Jest, preview browser tests and @grafana/plugin-e2e tests. */
export const testIds = {
  appConfig: {
    prometheusUid: 'data-testid ac-prometheus-uid',
    pghaUid: 'data-testid ac-pgha-uid',
    grafanaUrl: 'data-testid ac-grafana-url',
    submit: 'data-testid ac-submit-form',
  },
  pages: {
    SloOverview: 'data-testid page-slo-overview',
    SloDetail: 'data-testid page-slo-detail',
    Report: 'data-testid page-report',
    Topology: 'data-testid page-topology',
    Runbooks: 'data-testid page-runbooks',
  },
};
