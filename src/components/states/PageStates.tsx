import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, LoadingPlaceholder, TextLink, useStyles2 } from '@grafana/ui';
import { PrometheusError, errorText } from '../../api/errors';
import { humanDuration } from '../../slo/duration';
import { testIds } from '../testIds';

export function Loading({ text = 'Loading SLOs from Prometheus…' }: { text?: string }) {
  const s = useStyles2(getStyles);
  return (
    <div className={s.center} data-testid={testIds.states.loading} aria-busy="true">
      <LoadingPlaceholder text={text} />
    </div>
  );
}

export function NotConfigured() {
  return (
    <div data-testid={testIds.states.notConfigured}>
      <Alert severity="info" title="Pick the Prometheus data source">
        The SLO pages read the SLO rules from a Prometheus data source. Choose it in the app configuration:{' '}
        <TextLink href="/plugins/veza-slo-app" inline>
          Administration → Plugins → Veza SLO
        </TextLink>
        .
      </Alert>
    </div>
  );
}

export function NoSlos() {
  return (
    <div data-testid={testIds.states.noSlos}>
      <Alert severity="warning" title="No SLOs found in Prometheus">
        <p>
          Prometheus answered, but none of its rules is an SLO recording rule (<code>slo:sli_error:ratio_rate5m</code>{' '}
          with an <code>slo</code> or <code>sloth_id</code> label).
        </p>
        <p>
          Fix: load <code>provisioning/prometheus/slo.yml</code> into Prometheus (add it to <code>rule_files</code> and
          reload Prometheus with <code>curl -X POST localhost:9090/-/reload</code> or a restart). Regenerate it from{' '}
          <code>provisioning/slo/slos.yaml</code> with <code>npm run rules</code>.
        </p>
      </Alert>
    </div>
  );
}

/** Prometheus could not be read and there is nothing to show yet. */
export function Unreachable({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const title =
    error instanceof PrometheusError && error.kind === 'timeout'
      ? 'Prometheus is too slow to answer'
      : error instanceof PrometheusError && error.kind === 'unreachable'
        ? 'Prometheus is unreachable'
        : 'Could not read the SLOs';
  return (
    <div data-testid={testIds.states.unreachable}>
      <Alert severity="error" title={title}>
        <p>{errorText(error)}</p>
        {onRetry && (
          <Button size="sm" variant="secondary" icon="sync" onClick={onRetry}>
            Try again
          </Button>
        )}
      </Alert>
    </div>
  );
}

/** Values on screen are from an earlier load: say how old they are and why they are not fresh. */
export function StaleBanner({
  since,
  error,
  now,
  large,
}: {
  since: number;
  error: unknown;
  now: number;
  large?: boolean;
}) {
  const s = useStyles2(getStyles);
  return (
    <div className={large ? s.staleLarge : s.stale} role="status" data-testid={testIds.states.stale}>
      <strong>Stale: values from {humanDuration((now - since) / 1000)} ago.</strong> {errorText(error)}
    </div>
  );
}

export function PartialBanner({ problems }: { problems: string[] }) {
  if (!problems.length) {
    return null;
  }
  return (
    <div data-testid={testIds.states.partial}>
      <Alert severity="warning" title="Some numbers are missing">
        {problems.map((p, i) => (
          <div key={i}>{p}</div>
        ))}
      </Alert>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  center: css({ display: 'flex', justifyContent: 'center', padding: theme.spacing(6) }),
  stale: css({
    padding: theme.spacing(1, 2),
    marginBottom: theme.spacing(2),
    borderRadius: theme.shape.radius.default,
    border: `1px solid ${theme.colors.warning.border}`,
    background: theme.colors.warning.transparent,
    color: theme.colors.text.primary,
  }),
  staleLarge: css({
    padding: theme.spacing(1.5, 3),
    marginBottom: theme.spacing(2),
    borderRadius: theme.shape.radius.default,
    background: theme.colors.warning.main,
    color: theme.colors.warning.contrastText,
    fontSize: theme.typography.h4.fontSize,
  }),
});

/**
 * The page state to show instead of content, or undefined when there is content: not configured, Prometheus
 * unreachable with nothing to show yet, loading, or no SLOs. Once data arrived, a later error keeps it on screen
 * (the page marks it stale) rather than blanking it.
 */
export function sloPageState(
  data: { slos: unknown[] } | undefined,
  error: unknown,
  reload: () => void,
  loadingText?: string
): React.ReactNode | undefined {
  if (error instanceof PrometheusError && error.kind === 'not-configured' && !data) {
    return <NotConfigured />;
  }
  if (!data && error) {
    return <Unreachable error={error} onRetry={reload} />;
  }
  if (!data) {
    return <Loading text={loadingText} />;
  }
  if (!data.slos.length) {
    return <NoSlos />;
  }
  return undefined;
}
