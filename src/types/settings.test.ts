import { validateSettings } from './settings';

describe('validateSettings', () => {
  test.each([
    [{}, /Prometheus/],
    [{ prometheusUid: '  ' }, /Prometheus/],
    [{ prometheusUid: 'prom', grafanaUrl: 'grafana.local' }, /not a URL/],
    [{ prometheusUid: 'prom', grafanaUrl: 'ftp://g' }, /http/],
    [{ prometheusUid: 'prom', timeZone: 'Europe/Berln' }, /not an IANA time zone/],
    [{ prometheusUid: 'prom', timeZone: 'CET+1' }, /not an IANA time zone/],
  ])('%j is refused', (settings, message) => {
    expect(validateSettings(settings)).toMatch(message);
  });

  test('a Prometheus uid and an http URL are accepted', () => {
    expect(validateSettings({ prometheusUid: 'prom', grafanaUrl: 'https://grafana.veza.io' })).toBeUndefined();
    expect(validateSettings({ prometheusUid: 'prom', timeZone: 'Europe/Berlin' })).toBeUndefined();
    expect(validateSettings({ prometheusUid: 'prom', timeZone: 'UTC' })).toBeUndefined();
  });
});
