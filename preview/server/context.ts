// PluginContext the way Grafana fills it for a data source request (see reference/grafana-plugin-protocol.md §2).
import type { DataSourceSetting } from './provisioning';

export const GRAFANA_VERSION = '13.1.1';

export interface PluginMetaLite {
  id: string;
  version: string;
}

export function userAgent(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  return `Grafana/${GRAFANA_VERSION} (${process.platform}; ${arch})`;
}

export function grafanaConfig(appUrl: string): Record<string, string> {
  return {
    GF_APP_URL: appUrl,
    GF_CONCURRENT_QUERY_COUNT: '4',
    GF_INSTANCE_FEATURE_TOGGLES_ENABLE: '',
    GF_SQL_MAX_OPEN_CONNS_DEFAULT: '100',
    GF_SQL_MAX_IDLE_CONNS_DEFAULT: '100',
    GF_SQL_MAX_CONN_LIFETIME_SECONDS_DEFAULT: '14400',
    GF_SQL_ROW_LIMIT: '1000000',
    GF_RESPONSE_LIMIT: '0',
    GF_USER_FACING_DEFAULT_ERROR: 'please inspect Grafana server log for details',
  };
}

export function pluginContext(ds: DataSourceSetting, plugin: PluginMetaLite, appUrl: string) {
  return {
    orgId: ds.orgId,
    pluginId: plugin.id,
    user: { login: 'admin', name: 'admin', email: 'admin@localhost', role: 'Admin' },
    dataSourceInstanceSettings: {
      id: ds.id,
      name: ds.name,
      url: ds.url,
      user: ds.user,
      database: ds.database,
      basicAuthEnabled: ds.basicAuth,
      basicAuthUser: ds.basicAuthUser,
      jsonData: Buffer.from(JSON.stringify(ds.jsonData)),
      decryptedSecureJsonData: ds.secureJsonData,
      lastUpdatedMS: ds.updated,
      uid: ds.uid,
      apiVersion: '',
    },
    grafanaConfig: grafanaConfig(appUrl),
    pluginVersion: plugin.version,
    userAgent: userAgent(),
    apiVersion: '',
    namespace: 'default',
  };
}
