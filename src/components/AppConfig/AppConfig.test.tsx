import React from 'react';
import { render, screen, fireEvent } from '@testing-library/react';
import { PluginType } from '@grafana/data';
import AppConfig, { AppConfigProps } from './AppConfig';
import { testIds } from '../testIds';

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  DataSourcePicker: () => <div>picker</div>,
  getBackendSrv: () => ({ fetch: jest.fn() }),
}));

const props = {
  plugin: { meta: { id: 'veza-slo-app', name: 'Veza SLO', type: PluginType.app, enabled: true, jsonData: {} } },
  query: {},
} as unknown as AppConfigProps;

describe('AppConfig', () => {
  test('shows the data source pickers and the Grafana URL with its default', () => {
    render(<AppConfig {...props} />);
    expect(screen.getByTestId(testIds.appConfig.prometheusUid)).toBeInTheDocument();
    expect(screen.getByTestId(testIds.appConfig.grafanaUrl)).toHaveValue('http://127.0.0.1:3000');
    expect(screen.getByTestId(testIds.appConfig.timeZone)).toHaveValue('UTC');
  });

  test('refuses a time zone that is not an IANA name, saying which', () => {
    const saved = {
      ...props,
      plugin: { meta: { ...props.plugin.meta, jsonData: { prometheusUid: 'prom', timeZone: 'Europe/Berlin' } } },
    } as unknown as AppConfigProps;
    render(<AppConfig {...saved} />);
    expect(screen.getByTestId(testIds.appConfig.timeZone)).toHaveValue('Europe/Berlin');
    fireEvent.change(screen.getByTestId(testIds.appConfig.timeZone), { target: { value: 'Europe/Berln' } });
    fireEvent.click(screen.getByTestId(testIds.appConfig.submit));
    expect(screen.getByText(/"Europe\/Berln" is not an IANA time zone/)).toBeInTheDocument();
  });

  test('refuses to save without a Prometheus data source, saying why', () => {
    render(<AppConfig {...props} />);
    fireEvent.click(screen.getByTestId(testIds.appConfig.submit));
    expect(screen.getByText(/Pick the Prometheus data source/)).toBeInTheDocument();
  });
});
