import React, { useState } from 'react';
import { render, screen } from '@testing-library/react';
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

// Combobox measures option text on a canvas and watches visibility; jsdom has neither.
beforeAll(() => {
  class NoopObserver {
    observe() {}
    unobserve() {}
    disconnect() {}
    takeRecords() {
      return [];
    }
  }
  Object.assign(window, { IntersectionObserver: NoopObserver });
  jest
    .spyOn(HTMLCanvasElement.prototype, 'getContext')
    .mockImplementation(() => ({ measureText: () => ({ width: 40 }) }) as unknown as CanvasRenderingContext2D);
});

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
    await type('connectTimeoutMs', '1500');
    await type('queryTimeoutMs', '2500');
    await type('', 'm-pw', screen.getByTestId(configTestIds.secret('monitorPassword')));
    await type('', 'b-pw', screen.getByTestId(configTestIds.secret('pgbouncerPassword')));
    await type('', 'n-pw', screen.getByTestId(configTestIds.secret('nodePassword')));
    // Combobox virtualises its list (nothing renders in jsdom): pick by typing, like a keyboard user.
    await user.type(screen.getByRole('combobox', { name: /TLS mode/i }), 'disable{ArrowDown}{Enter}');

    expect(saved.jsonData).toEqual(fixture.jsonData);
    expect(saved.secureJsonData).toEqual(fixture.secureJsonData);
    // Ports and timeouts are numbers, as the Go test feeds them.
    expect(typeof saved.jsonData.monitorPort).toBe('number');
    // No password ever lands in jsonData.
    expect(JSON.stringify(saved.jsonData)).not.toMatch(/pw/);
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
});
