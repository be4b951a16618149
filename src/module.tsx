import React, { Suspense, lazy } from 'react';
import { AppPlugin, PluginExtensionPoints, type AppRootProps } from '@grafana/data';
import { LoadingPlaceholder } from '@grafana/ui';
import type { AppConfigProps } from './components/AppConfig/AppConfig';
import { configureWith, runbookLinkPath, sloLinkPath } from './extensions/alertingLinks';
import type { AppSettings } from './types/settings';

const LazyApp = lazy(() => import('./components/App/App'));
const LazyAppConfig = lazy(() => import('./components/AppConfig/AppConfig'));

const App = (props: AppRootProps<AppSettings>) => (
  <Suspense fallback={<LoadingPlaceholder text="" />}>
    <LazyApp {...props} />
  </Suspense>
);

const AppConfig = (props: AppConfigProps) => (
  <Suspense fallback={<LoadingPlaceholder text="" />}>
    <LazyAppConfig {...props} />
  </Suspense>
);

// Grafana's alert rule and alert instance views offer these for alerts with an `slo` label (src/extensions/).
// Every link is declared in plugin.json's extensions.addedLinks too: Grafana shows only declared links.
const ALERT_VIEWS = [PluginExtensionPoints.AlertingAlertingRuleAction, PluginExtensionPoints.AlertInstanceAction];

export const plugin = new AppPlugin<AppSettings>()
  .setRootPage(App)
  .addConfigPage({
    title: 'Configuration',
    icon: 'cog',
    body: AppConfig,
    id: 'configuration',
  })
  .addLink({
    targets: ALERT_VIEWS,
    title: 'Open SLO page',
    description: "The SLO this alert guards: budget, burn rates and this alert's history",
    icon: 'chart-line',
    configure: configureWith(sloLinkPath),
  })
  .addLink({
    targets: ALERT_VIEWS,
    title: 'Open runbook',
    description: "The runbook section this alert's runbook_url names, with the live state of its alerts",
    icon: 'book',
    configure: configureWith(runbookLinkPath),
  });
