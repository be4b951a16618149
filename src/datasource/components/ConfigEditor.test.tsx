import React, { useState } from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DataSourceSettings } from '@grafana/data';
import { ConfigEditor, configTestIds } from './ConfigEditor';
import { PghaOptions, PghaSecureOptions } from '../types';
import fixture from '../testdata/settings.config-editor.json';

// The same jsonData/secureJsonData pkg/models TestLoadSettingsAsTheConfigEditorSavesThem loads.
type Settings = DataSourceSettings<PghaOptions, PghaSecureOptions>;

function blank(): Settings {
  return {
    id: 1,
    uid: 'pgha',
    orgId: 1,
    name: 'Veza PG HA',
    type: 'veza-pgha-datasource',
    typeName: 'Veza PG HA',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    // DataSourceSettings still requires the deprecated field; the data source never reads it.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    jsonData: {},
    secureJsonFields: {},
    readOnly: false,
    withCredentials: false,
  };
}

function Harness({ initial, onSaved }: { initial: Settings; onSaved: (s: Settings) => void }) {
  const [options, setOptions] = useState(initial);
  return (
    <ConfigEditor
      options={options}
      onOptionsChange={(o) => {
        setOptions(o);
        onSaved(o);
      }}
    />
  );
}

// The Field (label, input, error) an input sits in: the nearest ancestor holding a label.
function fieldOf(el: HTMLElement): HTMLElement {
  let n = el.parentElement;
  while (n && !n.querySelector('label')) {
    n = n.parentElement;
  }
  if (!n) {
    throw new Error('no field around the input');
  }
  return n;
}

describe('ConfigEditor', () => {
  it('saves exactly the JSON pkg/models LoadSettings reads', async () => {
    let saved = blank();
    render(<Harness initial={blank()} onSaved={(s) => (saved = s)} />);
    const user = userEvent.setup({ delay: null });
    const type = async (key: string, value: string, el = screen.getByTestId(configTestIds.text(key))) => {
      await user.click(el);
      await user.paste(value);
    };

    await type('monitorHost', '127.0.0.1');
    await type('monitorPort', '6000');
    await type('monitorUser', 'grafana_pgha');
    await type('monitorSchema', 'veza_pgha');
    await type('formation', 'default');
    await type('pgbouncerHost', '127.0.0.1');
    await type('pgbouncerPort', '6432');
    await type('pgbouncerUser', 'pgbouncer');
    await type('nodeUser', 'grafana_pgha');
    await type('nodeHosts', '127.0.0.1, 10.0.4.0/24');
    await type('connectTimeoutMs', '1500');
    await type('queryTimeoutMs', '2500');
    await type('', 'm-pw', screen.getByTestId(configTestIds.secret('monitorPassword')));
    await type('', 'b-pw', screen.getByTestId(configTestIds.secret('pgbouncerPassword')));
    await type('', 'n-pw', screen.getByTestId(configTestIds.secret('nodePassword')));
    await type('', fixture.secureJsonData.tlsCACert, screen.getByTestId(configTestIds.secret('tlsCACert')));
    // A CA with the default mode (prefer, which may fall back to plain text) is flagged on the mode...
    expect(
      within(fieldOf(screen.getByRole('combobox', { name: /TLS mode/i }))).getByText(/may connect without TLS/)
    ).toBeInTheDocument();
    // Combobox virtualises its list (nothing renders in jsdom): pick by typing, like a keyboard user.
    await user.type(screen.getByRole('combobox', { name: /TLS mode/i }), 'verify-ca{ArrowDown}{Enter}');
    // ...until it is one that always uses TLS: the complete form shows no problem at all.
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();

    expect(saved.jsonData).toEqual(fixture.jsonData);
    expect(saved.secureJsonData).toEqual(fixture.secureJsonData);
    // Ports and timeouts are numbers, as the Go test feeds them.
    expect(typeof saved.jsonData.monitorPort).toBe('number');
    // No password or certificate ever lands in jsonData.
    expect(JSON.stringify(saved.jsonData)).not.toMatch(/pw|BEGIN/);
  }, 30_000);

  it('drops emptied fields so the Go defaults apply', async () => {
    let saved = blank();
    const initial = { ...blank(), jsonData: { monitorHost: 'm', monitorPort: 6000, pgbouncerHost: 'b' } };
    render(<Harness initial={initial} onSaved={(s) => (saved = s)} />);
    const user = userEvent.setup();
    await user.clear(screen.getByTestId(configTestIds.text('monitorPort')));
    await user.clear(screen.getByTestId(configTestIds.text('pgbouncerHost')));
    expect(saved.jsonData).toEqual({ monitorHost: 'm' });
  });

  it('shows a configured secret without its value and resets it', async () => {
    let saved = blank();
    const initial = { ...blank(), jsonData: { monitorHost: 'm' }, secureJsonFields: { monitorPassword: true } };
    render(<Harness initial={initial} onSaved={(s) => (saved = s)} />);
    expect(screen.getByTestId(configTestIds.secret('monitorPassword'))).toHaveValue('configured');
    await userEvent.setup().click(screen.getAllByRole('button', { name: /reset/i })[0]);
    expect(saved.secureJsonFields.monitorPassword).toBe(false);
    expect(saved.secureJsonData?.monitorPassword).toBe('');
  });

  it('shows each problem LoadSettings would report next to its field', () => {
    const initial: Settings = {
      ...blank(),
      jsonData: {
        monitorHost: 'm',
        connectTimeoutMs: 50,
        refreshIntervalMs: 700_000,
        nodeHosts: 'ok.example, bad/host',
      },
      secureJsonData: { tlsCACert: 'pasted the wrong thing', tlsClientCert: fixture.secureJsonData.tlsCACert },
    };
    render(<Harness initial={initial} onSaved={() => {}} />);
    const byTestId = (key: string) => screen.getByTestId(configTestIds.text(key));
    const bySecret = (key: string) => screen.getByTestId(configTestIds.secret(key));
    const expected: Array<[HTMLElement, string]> = [
      [byTestId('connectTimeoutMs'), 'connect timeout (connectTimeoutMs) must be between 100 ms and 1 min, got 50 ms'],
      [
        byTestId('refreshIntervalMs'),
        'live refresh interval (refreshIntervalMs) must be between 1 s and 10 min, got 700 s',
      ],
      [
        byTestId('nodeHosts'),
        'node host allow-list (nodeHosts): "bad/host" is not a host name, *.domain, IP address or CIDR',
      ],
      [bySecret('tlsCACert'), 'TLS CA certificate (tlsCACert): no PEM certificate found'],
      [bySecret('tlsClientKey'), 'TLS client key (tlsClientKey) is required with a client certificate'],
      [
        screen.getByRole('combobox', { name: /TLS mode/i }),
        'TLS mode (sslMode) "prefer" may connect without TLS; with TLS certificates set, use require, verify-ca or verify-full',
      ],
    ];
    for (const [input, message] of expected) {
      expect(within(fieldOf(input)).getByText(message)).toBeInTheDocument();
    }
    // Fields without a problem stay quiet, and no message quotes what was pasted.
    expect(within(fieldOf(screen.getByTestId(configTestIds.text('queryTimeoutMs')))).queryByRole('alert')).toBeNull();
    const alerts = screen.getAllByRole('alert').map((a) => a.textContent);
    expect(alerts).toHaveLength(expected.length);
    expect(alerts.join('\n')).not.toContain('pasted the wrong thing');
  });

  it('keeps configured TLS secrets hidden and resets them like the passwords', async () => {
    let saved = blank();
    const initial: Settings = {
      ...blank(),
      jsonData: { monitorHost: 'm', sslMode: 'verify-full' },
      secureJsonFields: { tlsCACert: true, tlsClientCert: true, tlsClientKey: true },
    };
    render(<Harness initial={initial} onSaved={(s) => (saved = s)} />);
    for (const key of ['tlsCACert', 'tlsClientCert', 'tlsClientKey']) {
      expect(screen.getByTestId(configTestIds.secret(key))).toHaveValue('configured');
    }
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    const ca = fieldOf(screen.getByTestId(configTestIds.secret('tlsCACert')));
    await userEvent.setup().click(within(ca).getByRole('button', { name: /reset/i }));
    expect(saved.secureJsonFields.tlsCACert).toBe(false);
    expect(saved.secureJsonData?.tlsCACert).toBe('');
    expect(saved.secureJsonFields.tlsClientKey).toBe(true);
  });
});
