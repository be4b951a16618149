export const sloPanelTestIds = {
  panel: 'data-testid slo-panel',
  grid: 'data-testid slo-panel-grid',
  unknown: 'data-testid slo-panel-unknown',
};
