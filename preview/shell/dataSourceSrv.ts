// DataSourceSrv for @grafana/runtime's setDataSourceSrv. Instance settings come from bootData (the host builds
// them from provisioning/); plugin data sources are instantiated from their own dist module, like Grafana does.
import {
  DataSourcePlugin,
  type DataSourceApi,
  type DataSourceInstanceSettings,
  type DataSourceRef,
  type ScopedVars,
} from '@grafana/data';
import { DataSourceWithBackend, config, type DataSourceSrv, type GetDataSourceListFilters } from '@grafana/runtime';
import { importModule } from './amd';

/** The Prometheus core data source stands in as a backend data source; the app only uses its resources API. */
class PreviewPrometheus extends DataSourceWithBackend {}

export class PreviewDataSourceSrv {
  private instances = new Map<string, Promise<DataSourceApi>>();

  private all(): DataSourceInstanceSettings[] {
    return Object.values(config.datasources);
  }

  getList(filters: GetDataSourceListFilters = {}): DataSourceInstanceSettings[] {
    const types = filters.type ? (Array.isArray(filters.type) ? filters.type : [filters.type]) : undefined;
    return this.all()
      .filter((d) => !types || types.includes(d.type))
      .filter((d) => !filters.pluginId || d.meta.id === filters.pluginId)
      .filter((d) => !filters.metrics || d.meta.metrics)
      .filter((d) => !filters.alerting || d.meta.alerting)
      .filter((d) => !filters.annotations || d.meta.annotations)
      .filter((d) => !filters.filter || filters.filter(d))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  getInstanceSettings(
    ref: string | DataSourceRef | null | undefined,
    _scopedVars?: ScopedVars
  ): DataSourceInstanceSettings | undefined {
    if (ref === null || ref === undefined || ref === 'default') {
      return this.all().find((d) => d.isDefault) ?? this.all()[0];
    }
    if (typeof ref === 'string') {
      return this.all().find((d) => d.uid === ref || d.name === ref);
    }
    return (
      this.all().find((d) => d.uid === ref.uid) ??
      (ref.type ? this.all().find((d) => d.type === ref.type && !ref.uid) : undefined)
    );
  }

  get(ref?: string | DataSourceRef | null, scopedVars?: ScopedVars): Promise<DataSourceApi> {
    const settings = this.getInstanceSettings(ref, scopedVars);
    if (!settings) {
      return Promise.reject(new Error(`Data source ${JSON.stringify(ref)} was not found`));
    }
    let p = this.instances.get(settings.uid);
    if (!p) {
      p = this.instantiate(settings);
      this.instances.set(settings.uid, p);
      p.catch(() => this.instances.delete(settings.uid));
    }
    return p;
  }

  private async instantiate(settings: DataSourceInstanceSettings): Promise<DataSourceApi> {
    if (settings.meta.module.startsWith('core:')) {
      const ds = new PreviewPrometheus(settings);
      ds.meta = settings.meta;
      return ds as unknown as DataSourceApi;
    }
    const plugin = await loadDataSourcePlugin(settings.meta.module);
    const ds = new plugin.DataSourceClass(settings);
    ds.components = plugin.components;
    ds.meta = settings.meta;
    return ds;
  }

  /** After a save: refresh bootData's copy and drop the cached instance. */
  update(settings: DataSourceInstanceSettings) {
    for (const [name, d] of Object.entries(config.datasources)) {
      if (d.uid === settings.uid) {
        delete config.datasources[name];
      }
    }
    config.datasources[settings.name] = settings;
    this.instances.delete(settings.uid);
  }

  reload() {
    this.instances.clear();
  }

  registerRuntimeDataSource() {
    throw new Error('runtime data sources are not supported by the preview host');
  }
}

export async function loadDataSourcePlugin(module: string): Promise<DataSourcePlugin<DataSourceApi>> {
  const exports = (await importModule(module)) as { plugin?: DataSourcePlugin<DataSourceApi> };
  if (!exports.plugin || !(exports.plugin instanceof DataSourcePlugin)) {
    throw new Error(`${module} does not export a DataSourcePlugin named "plugin"`);
  }
  return exports.plugin;
}

export function asDataSourceSrv(s: PreviewDataSourceSrv): DataSourceSrv {
  return s as unknown as DataSourceSrv;
}
