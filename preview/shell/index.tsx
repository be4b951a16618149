// The preview shell: provides what Grafana provides a plugin (shared modules through an AMD loader,
// @grafana/runtime services, config/bootData, theme, routing) and renders the app under /a/veza-slo-app/*.
// window.grafanaBootData is set by the host page before this bundle runs (preview/server/host.ts).
import * as React from 'react';
import * as ReactDOM from 'react-dom';
import * as ReactDOMClient from 'react-dom/client';
import * as ReactJsxRuntime from 'react/jsx-runtime';
import * as ReactRouter from 'react-router';
import * as ReactRouterDom from 'react-router-dom';
import * as Rxjs from 'rxjs';
import * as RxjsOperators from 'rxjs/operators';
import * as EmotionCss from '@emotion/css';
import * as EmotionReact from '@emotion/react';
import * as GrafanaData from '@grafana/data';
import * as GrafanaUi from '@grafana/ui';
import * as GrafanaRuntime from '@grafana/runtime';
import * as GrafanaRuntimeUnstable from '@grafana/runtime/unstable';
import * as GrafanaI18n from '@grafana/i18n';
import * as GrafanaE2ESelectors from '@grafana/e2e-selectors';
import { Router } from 'react-router-dom';
import { EventBusSrv } from '@grafana/data';
import {
  FakeEchoSrv,
  config,
  locationService,
  setAppEvents,
  setBackendSrv,
  setDataSourceSrv,
  setEchoSrv,
  setGrafanaLiveSrv,
  setLocationSrv,
  setPluginImportUtils,
  setTemplateSrv,
  type TemplateSrv,
} from '@grafana/runtime';
// Not re-exported from the package index: Grafana itself sets these at startup.
import { setPluginPage } from 'grafana-runtime-internal/PluginPage';
import { setPanelRenderer } from 'grafana-runtime-internal/PanelRenderer';
import { ErrorBoundaryAlert, ThemeContext } from '@grafana/ui';
import { injectGlobal } from '@emotion/css';
import { installDefine, provide } from './amd';
import { PreviewBackendSrv, asBackendSrv } from './backendSrv';
import { PreviewDataSourceSrv, asDataSourceSrv } from './dataSourceSrv';
import { PreviewLiveSrv, asLiveSrv } from './live';
import { PreviewPanelRenderer, getPanelPluginFromCache, importPanelPlugin } from './panel';
import { Chrome, PreviewPluginPage, ShellRoutes } from './pages';

// ---- shared modules (the externals of .config/bundler/externals.ts that our plugins use) ----
installDefine();
const shared: Record<string, unknown> = {
  react: React,
  'react-dom': ReactDOM,
  'react-dom/client': ReactDOMClient,
  'react/jsx-runtime': ReactJsxRuntime,
  'react-router': ReactRouter,
  'react-router-dom': ReactRouterDom,
  rxjs: Rxjs,
  'rxjs/operators': RxjsOperators,
  '@emotion/css': EmotionCss,
  '@emotion/react': EmotionReact,
  '@grafana/data': GrafanaData,
  '@grafana/ui': GrafanaUi,
  '@grafana/runtime': GrafanaRuntime,
  '@grafana/runtime/unstable': GrafanaRuntimeUnstable,
  '@grafana/i18n': GrafanaI18n,
  '@grafana/e2e-selectors': GrafanaE2ESelectors,
};
for (const [name, mod] of Object.entries(shared)) {
  provide(name, mod);
}

// ---- @grafana/runtime services ----
setBackendSrv(asBackendSrv(new PreviewBackendSrv()));
setDataSourceSrv(asDataSourceSrv(new PreviewDataSourceSrv()));
const liveUrl = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/api/live/preview`;
setGrafanaLiveSrv(asLiveSrv(new PreviewLiveSrv(liveUrl)));
setEchoSrv(new FakeEchoSrv());
setAppEvents(new EventBusSrv());
setLocationSrv({
  update: (opts) => {
    const { path, query, partial, replace } = opts as {
      path?: string;
      query?: Record<string, unknown>;
      partial?: boolean;
      replace?: boolean;
    };
    if (path) {
      replace ? locationService.replace(path) : locationService.push(path);
    }
    if (query) {
      locationService.partial(query, replace ?? !partial);
    }
  },
});
const templateSrv = {
  getVariables: () => [],
  replace: (target?: string) => target ?? '',
  containsTemplate: () => false,
  updateTimeRange: () => undefined,
  getAdhocFilters: () => [],
};
setTemplateSrv(templateSrv as unknown as TemplateSrv);
setPluginPage(PreviewPluginPage);
setPanelRenderer(PreviewPanelRenderer);
setPluginImportUtils({ importPanelPlugin, getPanelPluginFromCache });

// ---- theme: Grafana's own theme object; no @font-face (the Inter files are not in @grafana/ui's package) ----
const theme = config.theme2;
injectGlobal({
  '*, *::before, *::after': { boxSizing: 'border-box' },
  body: {
    margin: 0,
    fontFamily: theme.typography.fontFamily,
    fontSize: theme.typography.htmlFontSize,
    lineHeight: theme.typography.body.lineHeight,
    color: theme.colors.text.primary,
    background: theme.colors.background.canvas,
    WebkitFontSmoothing: 'antialiased',
  },
  a: { color: theme.colors.text.link, textDecoration: 'none' },
  'h1,h2,h3,h4,h5,h6': { fontWeight: theme.typography.h1.fontWeight, color: theme.colors.text.primary },
  h1: theme.typography.h1,
  h2: theme.typography.h2,
  h3: theme.typography.h3,
  h4: theme.typography.h4,
  h5: theme.typography.h5,
  h6: theme.typography.h6,
  p: { margin: theme.spacing(0, 0, 2) },
  code: { fontFamily: theme.typography.fontFamilyMonospace },
} as unknown as TemplateStringsArray);

function Shell() {
  const history = locationService.getHistory();
  const [location, setLocation] = React.useState(history.location);
  React.useLayoutEffect(() => history.listen((loc: typeof history.location) => setLocation(loc)), [history]);
  return (
    <ThemeContext.Provider value={theme}>
      <Router location={location} navigator={history as unknown as ReactRouterDom.Navigator}>
        <Chrome>
          <ErrorBoundaryAlert key={location.pathname}>
            <ShellRoutes />
          </ErrorBoundaryAlert>
        </Chrome>
      </Router>
    </ThemeContext.Provider>
  );
}

const root = ReactDOMClient.createRoot(document.getElementById('reactRoot')!);
root.render(<Shell />);
