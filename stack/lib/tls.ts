// The demo API's HTTPS certificate: self-signed for 127.0.0.1, issued by openssl into the state dir. It exists so
// blackbox_exporter has a real certificate to probe and CertExpiringSoon a real expiry to watch; `npm run stack
// -- cert --days N` reissues it (the API swaps it in without a restart), which is how the drill makes it expire.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
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

const SUBJECT = ['-subj', '/CN=127.0.0.1/O=Veza demo', '-addext', 'subjectAltName=IP:127.0.0.1'];
const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(args: string[], cwd?: string) {
  const r = spawnSync('openssl', args, { encoding: 'utf8', cwd });
  if (r.error || r.status !== 0) {
    throw new CertError(`openssl could not issue the API certificate: ${r.error?.message ?? r.stderr.trim()}`);
  }
}

// Key first, then certificate: the API reloads when the certificate changes, and by then the key matches.
function install(tmpKey: string, tmpCert: string): string {
  fs.chmodSync(tmpKey, 0o600);
  fs.renameSync(tmpKey, keyFile());
  fs.renameSync(tmpCert, certFile());
  return notAfter();
}

export function issueCert(days: number): string {
  fs.mkdirSync(dirs.tls, { recursive: true });
  const tmpCert = `${certFile()}.new`;
  const tmpKey = `${keyFile()}.new`;
  openssl(['req', '-x509', ...NEW_KEY, '-keyout', tmpKey, '-out', tmpCert, '-days', String(days), ...SUBJECT]);
  return install(tmpKey, tmpCert);
}

/** openssl's date form for -startdate/-enddate: YYYYMMDDHHMMSSZ (UTC). */
export const opensslDate = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d+Z$/, 'Z');

/**
 * A certificate that expired a day ago (valid for the 30 days before that), as a server that missed its renewal
 * serves it. `openssl req -x509` (OpenSSL 3.0) only counts days from now, so this goes through `openssl ca
 * -selfsign`, which takes explicit dates, with a throw-away CA database in a temporary directory.
 */
export function issueExpiredCert(now = new Date()): string {
  fs.mkdirSync(dirs.tls, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'veza-cert-'));
  try {
    fs.writeFileSync(path.join(work, 'index.txt'), '');
    fs.writeFileSync(path.join(work, 'serial'), `${Date.now().toString(16).padStart(16, '0')}\n`);
    fs.writeFileSync(
      path.join(work, 'ca.cnf'),
      [
        '[ca]',
        'default_ca = d',
        '[d]',
        'database = index.txt',
        'new_certs_dir = .',
        'serial = serial',
        'default_md = sha256',
        'policy = p',
        'copy_extensions = copy', // keeps the request's subjectAltName
        'unique_subject = no',
        '[p]',
        'commonName = supplied',
        'organizationName = optional',
        '',
      ].join('\n')
    );
    const day = 86400000;
    openssl(['req', '-new', ...NEW_KEY, '-keyout', 'key.pem', '-out', 'req.csr', ...SUBJECT], work);
    openssl(
      [
        'ca',
        '-batch',
        '-notext',
        '-selfsign',
        '-config',
        'ca.cnf',
        '-keyfile',
        'key.pem',
        '-in',
        'req.csr',
        '-out',
        'cert.pem',
        '-startdate',
        opensslDate(new Date(now.getTime() - 31 * day)),
        '-enddate',
        opensslDate(new Date(now.getTime() - day)),
      ],
      work
    );
    const tmpCert = `${certFile()}.new`;
    const tmpKey = `${keyFile()}.new`;
    fs.copyFileSync(path.join(work, 'key.pem'), tmpKey);
    fs.copyFileSync(path.join(work, 'cert.pem'), tmpCert);
    return install(tmpKey, tmpCert);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

export function ensureCert(): string | undefined {
  return fs.existsSync(certFile()) && fs.existsSync(keyFile()) ? undefined : issueCert(CERT_DAYS);
}

export function notAfter(): string {
  const r = spawnSync('openssl', ['x509', '-noout', '-enddate', '-in', certFile()], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().replace(/^notAfter=/, '') : 'unknown';
}
