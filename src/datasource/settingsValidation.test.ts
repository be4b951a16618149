import fs from 'node:fs';
import path from 'node:path';
import { formatMs, isAllowListEntry, SETTINGS_BOUNDS, validateSettings } from './settingsValidation';

// Go owns these rules (pkg/models settings_bounds.go, settings_hosts.go); its testdata is the contract. A missing
// file fails the test: readFileSync throws.
const goTestdata = (name: string) =>
  JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../pkg/models/testdata', name), 'utf8'));

describe('settings validation (mirror of pkg/models)', () => {
  it('has the same timing bounds as Go', () => {
    expect(SETTINGS_BOUNDS).toEqual(goTestdata('settings_bounds.golden.json'));
  });

  it('formats durations like Go FormatMs', () => {
    const cases: Array<[number, string]> = [
      [100, '100 ms'],
      [1500, '1500 ms'],
      [1000, '1 s'],
      [60_000, '1 min'],
      [300_000, '5 min'],
      [0, '0 ms'],
      [-1, '-1 ms'],
    ];
    for (const [ms, want] of cases) {
      expect(formatMs(ms)).toBe(want);
    }
  });

  it('accepts and rejects the same nodeHosts entries as Go', () => {
    const { valid, invalid } = goTestdata('nodehosts_entries.json') as { valid: string[]; invalid: string[] };
    expect(valid.filter((e) => !isAllowListEntry(e))).toEqual([]);
    expect(invalid.filter((e) => isAllowListEntry(e))).toEqual([]);
  });

  it('takes empty timings as the defaults and checks the ends of each range', () => {
    for (const [key, b] of Object.entries(SETTINGS_BOUNDS)) {
      for (const ok of [undefined, 0, b.minMs, b.maxMs, b.defaultMs]) {
        expect(validateSettings({ monitorHost: 'm', [key]: ok }, {})).toEqual({});
      }
      for (const bad of [b.minMs - 1, b.maxMs + 1, -1]) {
        expect(Object.keys(validateSettings({ monitorHost: 'm', [key]: bad }, {}))).toEqual([key]);
      }
    }
  });

  it('counts a saved secret as set, a reset one as not', () => {
    const configured = { configured: true };
    expect(validateSettings({ monitorHost: 'm', sslMode: 'require' }, { tlsClientCert: configured })).toEqual({
      tlsClientKey: 'TLS client key (tlsClientKey) is required with a client certificate',
    });
    expect(
      validateSettings(
        { monitorHost: 'm', sslMode: 'require' },
        { tlsClientCert: configured, tlsClientKey: configured }
      )
    ).toEqual({});
    expect(validateSettings({ monitorHost: 'm' }, { tlsCACert: { configured: false, value: '' } })).toEqual({});
  });

  it('refuses an encrypted client key and a missing monitor host', () => {
    const key = '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----';
    const errors = validateSettings(
      { sslMode: 'verify-full' },
      { tlsClientCert: { configured: true }, tlsClientKey: { value: key, configured: false } }
    );
    expect(errors.tlsClientKey).toMatch(/encrypted keys are not supported/);
    expect(errors.monitorHost).toBe('monitor host (monitorHost) is required');
  });
});
