import React, { useState } from 'react';
import { lastValueFrom } from 'rxjs';
import { getBackendSrv } from '@grafana/runtime';
import { Alert, Button } from '@grafana/ui';
import { prometheusClient } from '../../api/client';
import { errorText } from '../../api/errors';
import { discoverSlos } from '../../slo/discovery';
import { linksOutside } from '../../slo/links';
import { testIds } from '../testIds';

interface Result {
  severity: 'success' | 'warning' | 'error';
  title: string;
  lines: string[];
}

/**
 * Checks the chosen data sources the way the pages use them (Prometheus buildinfo + rules, PG HA health), and
 * that the alert rules' links point at this Grafana.
 */
export async function testConnection(prometheusUid?: string, pghaUid?: string, grafanaUrl?: string): Promise<Result> {
  const lines: string[] = [];
  let severity: Result['severity'] = 'success';
  try {
    const client = prometheusClient(prometheusUid, 10000);
    const info = await client.buildInfo();
    const rules = await client.rules();
    const slos = discoverSlos(rules);
    lines.push(`Prometheus ${info.version} answered through the data source.`);
    if (slos.length) {
      lines.push(`${slos.length} SLO${slos.length > 1 ? 's' : ''} found: ${slos.map((s) => s.id).join(', ')}.`);
    } else {
      severity = 'warning';
      lines.push('No SLO rules found: load provisioning/prometheus/slo.yml into Prometheus.');
    }
    const elsewhere = grafanaUrl ? linksOutside(rules, grafanaUrl) : [];
    if (elsewhere.length) {
      severity = 'warning';
      lines.push(
        `${elsewhere.length} alert link${elsewhere.length > 1 ? 's' : ''} point${elsewhere.length > 1 ? '' : 's'} ` +
          `elsewhere (e.g. ${elsewhere[0]}): regenerate the rules with npm run rules -- --grafana-url ${grafanaUrl}, ` +
          'or set the Grafana URL to the address they use.'
      );
    }
  } catch (e) {
    return { severity: 'error', title: 'Prometheus check failed', lines: [errorText(e)] };
  }
  if (pghaUid) {
    try {
      const res = await lastValueFrom(
        getBackendSrv().fetch<{ status?: string; message?: string }>({
          url: `/api/datasources/uid/${encodeURIComponent(pghaUid)}/health`,
          showErrorAlert: false,
        })
      );
      lines.push(`Postgres HA: ${res.data?.message ?? res.data?.status ?? 'OK'}`);
    } catch (e) {
      const err = e as { data?: { message?: string }; status?: number };
      severity = 'warning';
      lines.push(
        `Postgres HA check failed${err.status ? ` (HTTP ${err.status})` : ''}: ${err.data?.message ?? 'no answer'}.`
      );
    }
  }
  return { severity, title: severity === 'success' ? 'Connection OK' : 'Connected, with problems', lines };
}

export function ConnectionTest({
  prometheusUid,
  pghaUid,
  grafanaUrl,
}: {
  prometheusUid?: string;
  pghaUid?: string;
  grafanaUrl?: string;
}) {
  const [result, setResult] = useState<Result>();
  const [busy, setBusy] = useState(false);
  return (
    <div>
      <Button
        type="button"
        variant="secondary"
        icon="check"
        disabled={busy || !prometheusUid}
        data-testid={testIds.appConfig.test}
        onClick={async () => {
          setBusy(true);
          setResult(await testConnection(prometheusUid, pghaUid, grafanaUrl));
          setBusy(false);
        }}
      >
        {busy ? 'Testing…' : 'Test connection'}
      </Button>
      {result && (
        <div data-testid={testIds.appConfig.testResult} style={{ marginTop: 8 }}>
          <Alert severity={result.severity} title={result.title}>
            {result.lines.map((l, i) => (
              <div key={i}>{l}</div>
            ))}
          </Alert>
        </div>
      )}
    </div>
  );
}
