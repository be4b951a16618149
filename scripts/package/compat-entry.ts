// The four plugins' entry points in one module, so one `levitate is-compatible` run (scripts/package/compat.test.ts)
// checks every @grafana import of the app, the data source and the panels (it follows imports transitively).
export { plugin as app } from '../../src/module';
export { plugin as datasource } from '../../src/datasource/module';
export { plugin as panel } from '../../src/panels/topology/module';
export { plugin as sloPanel } from '../../src/panels/slo/module';
