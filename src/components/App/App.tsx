import React, { Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { AppRootProps } from '@grafana/data';
import { LoadingPlaceholder } from '@grafana/ui';
import { ROUTES } from '../../constants';
import type { AppSettings } from '../../types/settings';
import { SettingsContext } from '../settingsContext';

// Every page is its own chunk so the entry bundle stays small (DESIGN.md performance targets).
const SloOverviewPage = React.lazy(() => import('../../pages/SloOverview'));
const SloDetailPage = React.lazy(() => import('../../pages/SloDetail'));
const ReportPage = React.lazy(() => import('../../pages/Report'));
const TopologyPage = React.lazy(() => import('../../pages/Topology'));
const RunbooksPage = React.lazy(() => import('../../pages/Runbooks'));

function App(props: AppRootProps<AppSettings>) {
  return (
    <SettingsContext.Provider value={props.meta?.jsonData ?? {}}>
      <Suspense fallback={<LoadingPlaceholder text="Loading…" />}>
        <Routes>
          <Route path={ROUTES.Slos} element={<SloOverviewPage />} />
          <Route path={`${ROUTES.Slos}/:id`} element={<SloDetailPage />} />
          <Route path={ROUTES.Report} element={<ReportPage />} />
          <Route path={ROUTES.Topology} element={<TopologyPage />} />
          <Route path={ROUTES.Runbooks} element={<RunbooksPage />} />
          <Route path={`${ROUTES.Runbooks}/:name`} element={<RunbooksPage />} />
          <Route path="*" element={<Navigate to={ROUTES.Slos} replace />} />
        </Routes>
      </Suspense>
    </SettingsContext.Provider>
  );
}

export default App;
