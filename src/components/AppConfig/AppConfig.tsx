import React, { useState } from 'react';
import { lastValueFrom } from 'rxjs';
import { css } from '@emotion/css';
import { AppPluginMeta, GrafanaTheme2, PluginConfigPageProps } from '@grafana/data';
import { DataSourcePicker, getBackendSrv } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet, Input, useStyles2 } from '@grafana/ui';
import { testIds } from '../testIds';
import { AppSettings, DEFAULT_GRAFANA_URL, validateSettings } from '../../types/settings';
import { ConnectionTest } from './ConnectionTest';
import { DEFAULT_TIME_ZONE } from '../../slo/periods';

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<AppSettings>> {}

const AppConfig = ({ plugin }: AppConfigProps) => {
  const s = useStyles2(getStyles);
  const { enabled, pinned, jsonData } = plugin.meta;
  const [settings, setSettings] = useState<AppSettings>({
    prometheusUid: jsonData?.prometheusUid ?? '',
    pghaUid: jsonData?.pghaUid ?? '',
    grafanaUrl: jsonData?.grafanaUrl ?? DEFAULT_GRAFANA_URL,
    timeZone: jsonData?.timeZone ?? DEFAULT_TIME_ZONE,
  });
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);

  const onSubmit = async () => {
    const problem = validateSettings(settings);
    setError(problem);
    if (problem) {
      return;
    }
    setSaving(true);
    try {
      await lastValueFrom(
        getBackendSrv().fetch({
          url: `/api/plugins/${plugin.meta.id}/settings`,
          method: 'POST',
          data: { enabled, pinned, jsonData: settings },
        })
      );
      window.location.reload();
    } catch (e) {
      setError(`Could not save the settings: ${e instanceof Error ? e.message : 'the server refused them'}.`);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={(e) => e.preventDefault()}>
      <FieldSet label="Data sources">
        <Field
          label="Prometheus"
          description="Holds the SLO recording and alert rules (provisioning/prometheus/slo.yml)"
        >
          <div data-testid={testIds.appConfig.prometheusUid}>
            <DataSourcePicker
              type="prometheus"
              current={settings.prometheusUid || null}
              onChange={(ds) => setSettings({ ...settings, prometheusUid: ds.uid })}
            />
          </div>
        </Field>
        <Field
          label="Postgres HA"
          description="Optional: a veza-pgha-datasource for failover events and the topology page"
        >
          <div data-testid={testIds.appConfig.pghaUid}>
            <DataSourcePicker
              type="veza-pgha-datasource"
              current={settings.pghaUid || null}
              noDefault
              onChange={(ds) => setSettings({ ...settings, pghaUid: ds.uid })}
            />
          </div>
        </Field>
        <ConnectionTest
          prometheusUid={settings.prometheusUid}
          pghaUid={settings.pghaUid}
          grafanaUrl={settings.grafanaUrl}
        />
      </FieldSet>
      <FieldSet label="Alert links">
        <Field
          label="Grafana URL"
          description="The address people open Grafana at. Alert links (runbook_url, dashboard_url) are generated with npm run rules -- --grafana-url; the connection test checks they point here."
        >
          <Input
            width={60}
            data-testid={testIds.appConfig.grafanaUrl}
            value={settings.grafanaUrl}
            placeholder={DEFAULT_GRAFANA_URL}
            onChange={(e) => setSettings({ ...settings, grafanaUrl: e.currentTarget.value.trim() })}
          />
        </Field>
      </FieldSet>
      <FieldSet label="Report">
        <Field
          label="Time zone"
          description="IANA name (UTC, Europe/Berlin, America/New_York): the report's months, quarters and ISO weeks start at this zone's midnight, daylight-saving changes included. A report link carries its own zone (?tz=)."
        >
          <Input
            width={40}
            data-testid={testIds.appConfig.timeZone}
            value={settings.timeZone}
            placeholder={DEFAULT_TIME_ZONE}
            onChange={(e) => setSettings({ ...settings, timeZone: e.currentTarget.value.trim() })}
          />
        </Field>
      </FieldSet>
      {error && (
        <Alert severity="error" title="Settings not saved">
          {error}
        </Alert>
      )}
      <div className={s.marginTop}>
        <Button type="submit" data-testid={testIds.appConfig.submit} onClick={onSubmit} disabled={saving}>
          Save settings
        </Button>
      </div>
    </form>
  );
};

export default AppConfig;

const getStyles = (theme: GrafanaTheme2) => ({
  marginTop: css`
    margin-top: ${theme.spacing(3)};
  `,
});
