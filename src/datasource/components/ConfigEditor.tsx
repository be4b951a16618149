import React, { ChangeEvent } from 'react';
import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Combobox, ComboboxOption, Field, FieldSet, Input, SecretInput, SecretTextArea } from '@grafana/ui';
import { SETTINGS_DEFAULTS, SSL_MODES } from '../constants';
import { PghaOptions, PghaSecureOptions, SslMode } from '../types';
import { formatMs, Secrets, SETTINGS_BOUNDS, TimingKey, validateSettings } from '../settingsValidation';

type Props = DataSourcePluginOptionsEditorProps<PghaOptions, PghaSecureOptions>;
type TextKey = { [K in keyof PghaOptions]-?: PghaOptions[K] extends string | undefined ? K : never }[keyof PghaOptions];
type NumberKey = {
  [K in keyof PghaOptions]-?: PghaOptions[K] extends number | undefined ? K : never;
}[keyof PghaOptions];
type SecretKey = keyof PghaSecureOptions;

const SECRET_KEYS: SecretKey[] = [
  'monitorPassword',
  'pgbouncerPassword',
  'nodePassword',
  'tlsCACert',
  'tlsClientCert',
  'tlsClientKey',
];

export const configTestIds = {
  text: (key: string) => `data-testid pgha-config-${key}`,
  secret: (key: string) => `data-testid pgha-config-secret-${key}`,
  sslMode: 'data-testid pgha-config-sslMode',
};

const SSL_OPTIONS: Array<ComboboxOption<SslMode>> = SSL_MODES.map((m) => ({ label: m, value: m }));
const WIDTH = 40;

/**
 * Saves exactly the JSON pkg/models LoadSettings reads: ports and timeouts as numbers, empty fields
 * removed (so the Go defaults apply), passwords and TLS PEM text only in secureJsonData. Shows the
 * problems LoadSettings would report (settingsValidation.ts) next to their fields.
 */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const jsonData = options.jsonData;
  const secureFields = options.secureJsonFields ?? {};
  const secureData = options.secureJsonData ?? {};
  const secrets: Secrets = Object.fromEntries(
    SECRET_KEYS.map((k) => [k, { value: secureData[k], configured: Boolean(secureFields[k]) }])
  );
  const errors = validateSettings(jsonData, secrets);
  const fieldProps = (key: keyof PghaOptions | SecretKey, label: string, description?: string) => ({
    label,
    description,
    invalid: errors[key] !== undefined,
    error: errors[key],
  });

  const setJson = (patch: Partial<PghaOptions>) => {
    const next: PghaOptions = { ...jsonData, ...patch };
    for (const k of Object.keys(patch) as Array<keyof PghaOptions>) {
      if (next[k] === undefined || next[k] === '') {
        delete next[k];
      }
    }
    onOptionsChange({ ...options, jsonData: next });
  };
  const onText = (key: TextKey) => (e: ChangeEvent<HTMLInputElement>) => setJson({ [key]: e.currentTarget.value });
  const onTrimmed = (key: TextKey) => (e: React.FocusEvent<HTMLInputElement>) => {
    const v = e.currentTarget.value.trim();
    if (v !== e.currentTarget.value) {
      setJson({ [key]: v });
    }
  };
  const onNumber = (key: NumberKey) => (e: ChangeEvent<HTMLInputElement>) => {
    const raw = e.currentTarget.value.trim();
    const n = Number(raw);
    setJson({ [key]: raw === '' || !Number.isFinite(n) ? undefined : Math.trunc(n) });
  };
  const onSecret = (key: SecretKey) => (e: React.FormEvent<HTMLInputElement | HTMLTextAreaElement>) =>
    onOptionsChange({ ...options, secureJsonData: { ...secureData, [key]: e.currentTarget.value } });
  const onReset = (key: SecretKey) => () =>
    onOptionsChange({
      ...options,
      secureJsonFields: { ...secureFields, [key]: false },
      secureJsonData: { ...secureData, [key]: '' },
    });

  const text = (key: TextKey, label: string, description?: string, placeholder?: string) => (
    <Field {...fieldProps(key, label, description)}>
      <Input
        id={`pgha-${key}`}
        data-testid={configTestIds.text(key)}
        width={WIDTH}
        value={(jsonData[key] as string | undefined) ?? ''}
        placeholder={placeholder}
        onChange={onText(key)}
        onBlur={onTrimmed(key)}
      />
    </Field>
  );
  const number = (key: NumberKey, label: string, placeholder: number, description?: string) => (
    <Field {...fieldProps(key, label, description)}>
      <Input
        id={`pgha-${key}`}
        data-testid={configTestIds.text(key)}
        type="number"
        min={0}
        width={20}
        value={jsonData[key] ?? ''}
        placeholder={String(placeholder)}
        onChange={onNumber(key)}
      />
    </Field>
  );
  const timing = (key: TimingKey, label: string, description?: string) => {
    const b = SETTINGS_BOUNDS[key];
    const range = `${formatMs(b.minMs)} to ${formatMs(b.maxMs)}`;
    return number(key, label, b.defaultMs, description ? `${description} (${range})` : range);
  };
  const secret = (key: SecretKey, label: string, description?: string) => (
    <Field {...fieldProps(key, label, description)}>
      <SecretInput
        id={`pgha-${key}`}
        data-testid={configTestIds.secret(key)}
        width={WIDTH}
        isConfigured={Boolean(secureFields[key])}
        value={secureData[key] ?? ''}
        placeholder="password"
        onChange={onSecret(key)}
        onReset={onReset(key)}
      />
    </Field>
  );
  // PEM text: pasted whole, kept only in secureJsonData (the backend parses it in memory).
  const pem = (key: SecretKey, label: string, description: string, placeholder: string) => (
    <Field {...fieldProps(key, label, description)}>
      <SecretTextArea
        id={`pgha-${key}`}
        data-testid={configTestIds.secret(key)}
        cols={64}
        rows={5}
        isConfigured={Boolean(secureFields[key])}
        value={secureData[key] ?? ''}
        placeholder={placeholder}
        onChange={onSecret(key)}
        onReset={onReset(key)}
      />
    </Field>
  );

  return (
    <>
      <FieldSet label="pg_auto_failover monitor">
        {text('monitorHost', 'Host', 'Required. Host name or address of the monitor', 'db-monitor.internal')}
        {number('monitorPort', 'Port', SETTINGS_DEFAULTS.monitorPort)}
        {text('monitorDatabase', 'Database', undefined, SETTINGS_DEFAULTS.monitorDatabase)}
        {text(
          'monitorUser',
          'User',
          'A read-only role: see docs/pgha-grafana-role.sql (USAGE on pgautofailover also allows calling perform_failover)',
          SETTINGS_DEFAULTS.monitorUser
        )}
        {secret('monitorPassword', 'Password')}
        {text(
          'monitorSchema',
          'Schema',
          'pgautofailover, or the schema of the read-only views created by docs/pgha-grafana-role.sql',
          SETTINGS_DEFAULTS.monitorSchema
        )}
        {text('formation', 'Formation', undefined, SETTINGS_DEFAULTS.formation)}
      </FieldSet>

      <FieldSet label="PgBouncer admin console (optional)">
        {text('pgbouncerHost', 'Host', 'Leave empty if there is no PgBouncer in front of the formation')}
        {number('pgbouncerPort', 'Port', SETTINGS_DEFAULTS.pgbouncerPort)}
        {text('pgbouncerUser', 'User', 'Listed in stats_users or admin_users', SETTINGS_DEFAULTS.pgbouncerUser)}
        {secret('pgbouncerPassword', 'Password')}
        {text(
          'pgbouncerDatabase',
          'Database',
          'The PgBouncer database in front of the formation',
          "formation's dbname"
        )}
      </FieldSet>

      <FieldSet label="Data nodes (optional)">
        {text(
          'nodeUser',
          'User',
          'A role with pg_read_all_stats (not pg_monitor), to read recovery, LSN, lag and sync state on each node. Empty = monitor view only'
        )}
        {secret('nodePassword', 'Password')}
        {text('nodeDatabase', 'Database', undefined, "formation's dbname")}
        {text(
          'nodeHosts',
          'Allowed node hosts',
          'Optional. Comma-separated host names, *.domain, IP addresses or CIDRs. Nodes the monitor lists on any ' +
            'other host are not connected to, so never get the node password. Names match as written, never resolved',
          '10.0.4.0/24, *.db.internal'
        )}
      </FieldSet>

      <FieldSet label="TLS">
        <Field
          {...fieldProps(
            'sslMode',
            'TLS mode',
            'libpq sslmode, for the monitor, PgBouncer and the nodes. With a CA certificate, require also verifies ' +
              'the chain (like verify-ca); verify-full also checks the host name'
          )}
        >
          <Combobox<SslMode>
            id="pgha-sslMode"
            data-testid={configTestIds.sslMode}
            width={20}
            options={SSL_OPTIONS}
            value={jsonData.sslMode ?? SETTINGS_DEFAULTS.sslMode}
            onChange={(o: ComboboxOption<SslMode> | null) => o && setJson({ sslMode: o.value })}
          />
        </Field>
        {pem(
          'tlsCACert',
          'CA certificate',
          "PEM. The CA that signed the servers' certificates; without it, verify-ca and verify-full use the system roots",
          '-----BEGIN CERTIFICATE-----'
        )}
        {pem(
          'tlsClientCert',
          'Client certificate',
          'PEM. Optional, for servers that authenticate by certificate',
          '-----BEGIN CERTIFICATE-----'
        )}
        {pem(
          'tlsClientKey',
          'Client key',
          'PEM, unencrypted (Grafana stores it encrypted)',
          '-----BEGIN PRIVATE KEY-----'
        )}
      </FieldSet>

      <FieldSet label="Timing">
        {timing('connectTimeoutMs', 'Connect timeout (ms)')}
        {timing('queryTimeoutMs', 'Query timeout (ms)')}
        {timing(
          'refreshIntervalMs',
          'Live refresh (ms)',
          'How often the stream re-reads lag and report ages while LISTEN is up'
        )}
        {timing('pollIntervalMs', 'Fallback poll (ms)', 'How often the stream polls while LISTEN is down')}
      </FieldSet>
    </>
  );
}
