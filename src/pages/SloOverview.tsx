import React, { useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { css } from '@emotion/css';
import { GrafanaTheme2, PageLayoutType } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Button, Stack, useStyles2 } from '@grafana/ui';
import { prometheusClient } from '../api/client';
import { loadOverview } from '../api/loaders';
import { readRollingCorrections } from '../api/annotations';
import { useAppSettings } from '../components/settingsContext';
import { PostgresStrip } from '../components/slo/PostgresStrip';
import { SloGrid } from '../components/slo/SloGrid';
import { sloPageState } from '../components/states/PageStates';
import { WALL_TYPE, wallPx } from '../components/slo/wallType';
import { testIds } from '../components/testIds';
import { useNow, usePolling } from '../components/usePolling';
import { parseDuration } from '../slo/duration';

const DEFAULT_REFRESH = '1m';
const KIOSK_REFRESH = '30s';

/** 1 % of the window's height in pixels (the wall's type unit, wallType.ts), following resizes. */
function useViewportUnit(): number {
  const [u, setU] = useState(() => window.innerHeight / 100);
  useEffect(() => {
    const onResize = () => setU(window.innerHeight / 100);
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return u;
}

/** The NOC overview: one tile per SLO, worst first. `?kiosk` = TV mode, `?refresh=30s` = refresh interval. */
function SloOverviewPage() {
  const s = useStyles2(getStyles);
  const { prometheusUid, pghaUid, timeZone } = useAppSettings();
  const [params, setParams] = useSearchParams();
  const kiosk = params.has('kiosk');
  const refresh = params.get('refresh') ?? (kiosk ? KIOSK_REFRESH : DEFAULT_REFRESH);
  const refreshMs = (parseDuration(refresh) ?? 60) * 1000;
  const now = useNow(5000);
  const wallUnit = useViewportUnit();

  const load = useCallback(
    (signal: AbortSignal) =>
      loadOverview(prometheusClient(prometheusUid), signal, Date.now(), readRollingCorrections(), timeZone),
    [prometheusUid, timeZone]
  );
  const { data, dataAt, error, errorAt, loading, reload } = usePolling(load, prometheusUid ?? '', refreshMs);

  const setKiosk = useCallback(
    (on: boolean) => {
      const next = new URLSearchParams(params);
      if (on) {
        next.set('kiosk', '');
      } else {
        next.delete('kiosk');
      }
      setParams(next);
    },
    [params, setParams]
  );

  useEffect(() => {
    if (!kiosk) {
      return undefined;
    }
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setKiosk(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [kiosk, setKiosk]);

  // TV mode covers Grafana's chrome, whose links stay focusable behind it: keep Tab inside the wall, starting there.
  const kioskRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (kiosk) {
      kioskRef.current?.focus();
    }
  }, [kiosk]);
  const trapTab = (e: React.KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'Tab' || !kioskRef.current) {
      return;
    }
    const focusable = [
      ...kioskRef.current.querySelectorAll<HTMLElement>('a[href], button:not([disabled]), [tabindex="0"]'),
    ].filter((el) => el.offsetParent !== null);
    if (!focusable.length) {
      return;
    }
    const [first, last] = [focusable[0], focusable[focusable.length - 1]];
    const active = document.activeElement;
    if (e.shiftKey && (active === first || active === kioskRef.current)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && active === last) {
      e.preventDefault();
      first.focus();
    }
  };

  const postgres = pghaUid ? <PostgresStrip uid={pghaUid} kiosk={kiosk} /> : null;
  let body = sloPageState(data, error, reload);
  if (!body && data) {
    body = (
      <SloGrid
        data={data}
        dataAt={dataAt!}
        error={error}
        errorAt={errorAt}
        now={now}
        wall={kiosk}
        wallUnit={kiosk ? wallUnit : undefined}
        testId={testIds.overview.grid}
      />
    );
  }

  const updated = dataAt ? new Date(dataAt).toLocaleTimeString() : '—';
  const status = (
    <span className={s.updated} data-testid={testIds.overview.updated} aria-live="polite">
      {loading && data ? 'Refreshing… ' : ''}
      Updated {updated} · every {refresh}
    </span>
  );

  if (kiosk) {
    return (
      <PluginPage layout={PageLayoutType.Custom}>
        <div
          className={s.kiosk}
          data-testid={testIds.overview.kiosk}
          ref={kioskRef}
          tabIndex={-1}
          onKeyDown={trapTab}
          aria-label="Veza SLOs, TV mode"
          role="region"
        >
          <div data-testid={testIds.pages.SloOverview} className={s.kioskPage}>
            <div className={s.kioskHeader}>
              <h1 className={s.kioskTitle} style={{ fontSize: wallPx(wallUnit, WALL_TYPE.pageTitle) }}>
                Veza SLOs
              </h1>
              {status}
              <Button
                variant="secondary"
                fill="text"
                icon="times"
                onClick={() => setKiosk(false)}
                data-testid={testIds.overview.kioskToggle}
              >
                Exit TV mode (Esc)
              </Button>
            </div>
            {postgres}
            {body}
          </div>
        </div>
      </PluginPage>
    );
  }

  return (
    <PluginPage
      subTitle="Error budgets of the last 30 days, worst first"
      actions={
        <Stack gap={1} alignItems="center">
          {status}
          <Button variant="secondary" icon="sync" onClick={reload} disabled={loading} aria-label="Refresh now">
            Refresh
          </Button>
          <Button
            variant="secondary"
            icon="monitor"
            onClick={() => setKiosk(true)}
            data-testid={testIds.overview.kioskToggle}
          >
            TV mode
          </Button>
        </Stack>
      }
    >
      <div data-testid={testIds.pages.SloOverview}>
        {postgres}
        {body}
      </div>
    </PluginPage>
  );
}

export default SloOverviewPage;

const getStyles = (theme: GrafanaTheme2) => ({
  updated: css({ color: theme.colors.text.secondary, fontVariantNumeric: 'tabular-nums' }),
  // TV mode: covers the page chrome (Grafana also hides its own with ?kiosk) and scales the type up.
  kiosk: css({
    position: 'fixed',
    inset: 0,
    zIndex: theme.zIndex.modal,
    overflow: 'auto',
    display: 'flex',
    flexDirection: 'column',
    padding: theme.spacing(3),
    background: theme.colors.background.canvas,
    fontSize: theme.typography.h5.fontSize,
  }),
  kioskPage: css({ flex: 1, display: 'flex', flexDirection: 'column', minHeight: 0 }),
  kioskHeader: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(3), marginBottom: theme.spacing(2) }),
  kioskTitle: css({ margin: 0, flex: 1, fontSize: theme.typography.h1.fontSize }),
});
