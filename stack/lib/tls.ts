// The demo API's HTTPS certificate: self-signed for 127.0.0.1, issued by openssl into the state dir. It exists so
// blackbox_exporter has a real certificate to probe and CertExpiringSoon a real expiry to watch; `npm run stack
// -- cert --days N` reissues it (the API swaps it in without a restart), which is how the drill makes it expire.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { dirs } from './config';

export const CERT_DAYS = 90; // a normal certificate: far from both alert thresholds (14 d ticket, 2 d page)
export const certFile = () => path.join(dirs.tls, 'api.crt');
export const keyFile = () => path.join(dirs.tls, 'api.key');

export class CertError extends Error {}

/** `--days` as typed: a whole number of days from 1 to 3650, or a CertError that says so. */
export function parseDays(raw: string): number {
  const days = Number(raw);
  if (!/^\d+$/.test(raw) || days < 1 || days > 3650) {
    throw new CertError(
      `--days takes a whole number of days from 1 to 3650, got "${raw}"; the certificate is unchanged.`
    );
  }
  return days;
}

export function issueCert(days: number): string {
  fs.mkdirSync(dirs.tls, { recursive: true });
  const tmpCert = `${certFile()}.new`;
  const tmpKey = `${keyFile()}.new`;
  const r = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      tmpKey,
      '-out',
      tmpCert,
      '-days',
      String(days),
      '-subj',
      '/CN=127.0.0.1/O=Veza demo',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { encoding: 'utf8' }
  );
  if (r.error || r.status !== 0) {
    throw new CertError(`openssl could not issue the API certificate: ${r.error?.message ?? r.stderr.trim()}`);
  }
  fs.chmodSync(tmpKey, 0o600);
  // Key first, then certificate: the API reloads when the certificate changes, and by then the key matches.
  fs.renameSync(tmpKey, keyFile());
  fs.renameSync(tmpCert, certFile());
  return notAfter();
}

export function ensureCert(): string | undefined {
  return fs.existsSync(certFile()) && fs.existsSync(keyFile()) ? undefined : issueCert(CERT_DAYS);
}

export function notAfter(): string {
  const r = spawnSync('openssl', ['x509', '-noout', '-enddate', '-in', certFile()], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().replace(/^notAfter=/, '') : 'unknown';
}
