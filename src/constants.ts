import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
export const PLUGIN_BASE_URL = `/a/${pluginJson.id}`;

/** App routes under /a/veza-slo-app/; alert links (dashboard_url, runbook_url) point at these. */
export enum ROUTES {
  Slos = 'slos',
  Report = 'report',
  Topology = 'topology',
  Runbooks = 'runbooks',
}
