// The config editor's field checks: the same rules pkg/models LoadSettings applies (settings*.go), so a mistake
// shows next to its field before Save & test. The Go side stays the authority; its health check names the field too.
import { PghaOptions, PghaSecureOptions, SslMode } from './types';

export type TimingKey = 'connectTimeoutMs' | 'queryTimeoutMs' | 'pollIntervalMs' | 'refreshIntervalMs';

export interface TimingBound {
  label: string;
  minMs: number;
  maxMs: number;
  defaultMs: number;
}

/** pkg/models TimingBounds; both sides are checked against pkg/models/testdata/settings_bounds.golden.json. */
export const SETTINGS_BOUNDS: Record<TimingKey, TimingBound> = {
  connectTimeoutMs: { label: 'connect timeout', minMs: 100, maxMs: 60_000, defaultMs: 3000 },
  queryTimeoutMs: { label: 'query timeout', minMs: 100, maxMs: 300_000, defaultMs: 5000 },
  pollIntervalMs: { label: 'fallback poll interval', minMs: 200, maxMs: 60_000, defaultMs: 1000 },
  refreshIntervalMs: { label: 'live refresh interval', minMs: 1000, maxMs: 600_000, defaultMs: 5000 },
};

/** pkg/models FormatMs: 100 ms, 60 s → "1 min", 5 min. */
export function formatMs(ms: number): string {
  if (ms !== 0 && ms % 60_000 === 0) {
    return `${ms / 60_000} min`;
  }
  if (ms !== 0 && ms % 1000 === 0) {
    return `${ms / 1000} s`;
  }
  return `${ms} ms`;
}

export type SettingsKey = keyof PghaOptions | keyof PghaSecureOptions;
export type FieldErrors = Partial<Record<SettingsKey, string>>;

/** What the editor knows of a secret: typed now (value) or saved before (configured). */
export interface SecretState {
  value?: string;
  configured: boolean;
}
export type Secrets = Partial<Record<keyof PghaSecureOptions, SecretState>>;

const HOST_NAME = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-f:.]+$/; // loose: contains a colon, checked by Go

function isIp(s: string): boolean {
  return IPV4.test(s) || (s.includes(':') && IPV6.test(s));
}

/** One nodeHosts entry as pkg/models ParseHostAllowList accepts it. */
export function isAllowListEntry(raw: string): boolean {
  const e = raw
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  const slash = e.indexOf('/');
  if (slash >= 0) {
    const ip = e.slice(0, slash);
    const bits = e.slice(slash + 1);
    const max = IPV4.test(ip) ? 32 : 128;
    return isIp(ip) && /^\d{1,3}$/.test(bits) && Number(bits) <= max;
  }
  if (isIp(e)) {
    return true;
  }
  return HOST_NAME.test(e.startsWith('*.') ? e.slice(2) : e);
}

export function allowListEntries(raw: string | undefined): string[] {
  return (raw ?? '').split(/[,\s]+/).filter((e) => e !== '');
}

const PLAIN_TEXT_POSSIBLE: SslMode[] = ['disable', 'allow', 'prefer'];

const hasBlock = (pem: string, type: RegExp) =>
  new RegExp(`-----BEGIN ${type.source}-----[\\s\\S]+-----END ${type.source}-----`).test(pem);

/** Field problems, keyed like jsonData/secureJsonData; messages follow pkg/models and never quote a secret. */
export function validateSettings(jsonData: PghaOptions, secrets: Secrets): FieldErrors {
  const errors: FieldErrors = {};
  if (!jsonData.monitorHost?.trim()) {
    errors.monitorHost = 'monitor host (monitorHost) is required';
  }
  for (const [key, b] of Object.entries(SETTINGS_BOUNDS) as Array<[TimingKey, TimingBound]>) {
    const v = jsonData[key];
    if (v !== undefined && v !== 0 && (v < b.minMs || v > b.maxMs)) {
      errors[key] =
        `${b.label} (${key}) must be between ${formatMs(b.minMs)} and ${formatMs(b.maxMs)}, got ${formatMs(v)}`;
    }
  }
  const bad = allowListEntries(jsonData.nodeHosts).find((e) => !isAllowListEntry(e));
  if (bad !== undefined) {
    errors.nodeHosts = `node host allow-list (nodeHosts): "${bad.slice(0, 80)}" is not a host name, *.domain, IP address or CIDR`;
  }

  const set = (k: keyof PghaSecureOptions) => Boolean(secrets[k]?.configured || secrets[k]?.value?.trim());
  const typed = (k: keyof PghaSecureOptions) => secrets[k]?.value?.trim() ?? '';
  if (typed('tlsCACert') && !hasBlock(typed('tlsCACert'), /CERTIFICATE/)) {
    errors.tlsCACert = 'TLS CA certificate (tlsCACert): no PEM certificate found';
  }
  if (typed('tlsClientCert') && !hasBlock(typed('tlsClientCert'), /CERTIFICATE/)) {
    errors.tlsClientCert = 'TLS client certificate (tlsClientCert): no PEM certificate found';
  }
  if (/ENCRYPTED/.test(typed('tlsClientKey'))) {
    errors.tlsClientKey =
      'TLS client key (tlsClientKey): encrypted keys are not supported; paste the key unencrypted (Grafana stores it encrypted)';
  } else if (typed('tlsClientKey') && !hasBlock(typed('tlsClientKey'), /(?:[A-Z]+ )?PRIVATE KEY/)) {
    errors.tlsClientKey = 'TLS client key (tlsClientKey): no PEM private key found';
  }
  if (set('tlsClientCert') && !set('tlsClientKey')) {
    errors.tlsClientKey ??= 'TLS client key (tlsClientKey) is required with a client certificate';
  }
  if (set('tlsClientKey') && !set('tlsClientCert')) {
    errors.tlsClientCert ??= 'TLS client certificate (tlsClientCert) is required with a client key';
  }
  const mode = jsonData.sslMode ?? 'prefer';
  const anyTls = set('tlsCACert') || set('tlsClientCert') || set('tlsClientKey');
  if (anyTls && PLAIN_TEXT_POSSIBLE.includes(mode)) {
    errors.sslMode = `TLS mode (sslMode) "${mode}" may connect without TLS; with TLS certificates set, use require, verify-ca or verify-full`;
  }
  return errors;
}
