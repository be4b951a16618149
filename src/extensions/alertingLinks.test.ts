import { PluginExtensionPoints } from '@grafana/data';
import { plugin } from '../module';
import pluginJson from '../plugin.json';
import { readAlertContext, runbookLinkPath, sloLinkPath } from './alertingLinks';

const labels = { alertname: 'APIAvailabilitySLOFastBurn', slo: 'api-availability', severity: 'page' };
const annotations = {
  runbook_url: 'https://grafana.example.com/a/veza-slo-app/runbooks/api-availability#first-moves',
  summary: 'x',
};

describe('alerting extension links', () => {
  test('a newer Grafana: flat rule and instance', () => {
    const ctx = {
      rule: { name: 'APIAvailabilitySLOFastBurn', labels, annotations, uid: 'abc' },
      instance: { labels, annotations, activeAt: '2026-12-04T10:00:00Z', state: 'Alerting', value: '1' },
    };
    expect(sloLinkPath(ctx)).toBe(
      `/a/veza-slo-app/slos/api-availability?alert=APIAvailabilitySLOFastBurn&from=${Date.UTC(2026, 11, 4, 9)}&to=now`
    );
    expect(runbookLinkPath(ctx)).toBe('/a/veza-slo-app/runbooks/api-availability#first-moves');
  });

  test('an older Grafana: the rule alone (alert rule action), labels on the rule', () => {
    const ctx = { rule: { name: 'APIAvailabilitySLOFastBurn', labels, annotations } };
    expect(sloLinkPath(ctx)).toBe('/a/veza-slo-app/slos/api-availability?alert=APIAvailabilitySLOFastBurn');
    expect(readAlertContext(ctx).activeAtMs).toBeUndefined();
  });

  test("a pending instance's zero activeAt gives no time range", () => {
    const ctx = { instance: { labels, annotations, activeAt: '0001-01-01T00:00:00Z' } };
    expect(sloLinkPath(ctx)).toBe('/a/veza-slo-app/slos/api-availability?alert=APIAvailabilitySLOFastBurn');
  });

  test('alerts without an slo label get no link; a runbook outside the app gets none either', () => {
    expect(
      sloLinkPath({ rule: { name: 'RedisDown', labels: { alertname: 'RedisDown' }, annotations } })
    ).toBeUndefined();
    expect(runbookLinkPath({ rule: { labels: { alertname: 'RedisDown' }, annotations } })).toBeUndefined();
    expect(
      runbookLinkPath({ rule: { labels, annotations: { runbook_url: 'https://wiki.example.com/x' } } })
    ).toBeUndefined();
    expect(sloLinkPath(undefined)).toBeUndefined();
    expect(sloLinkPath({ rule: 'garbage', instance: 42 })).toBeUndefined();
  });

  test('the app registers both links on the alert rule and alert instance views, as plugin.json declares', () => {
    const links = plugin.addedLinkConfigs;
    expect(links.map((l) => l.title).sort()).toEqual(['Open SLO page', 'Open runbook']);
    for (const l of links) {
      expect([...(Array.isArray(l.targets) ? l.targets : [l.targets])].sort()).toEqual(
        [PluginExtensionPoints.AlertInstanceAction, PluginExtensionPoints.AlertingAlertingRuleAction].sort()
      );
    }
    const ctx = { rule: { name: 'APIAvailabilitySLOFastBurn', labels, annotations } };
    expect(links.map((l) => l.configure?.(ctx)?.path).sort()).toEqual([
      '/a/veza-slo-app/runbooks/api-availability#first-moves',
      '/a/veza-slo-app/slos/api-availability?alert=APIAvailabilitySLOFastBurn',
    ]);
    expect(links.map((l) => l.configure?.({ rule: { labels: { alertname: 'RedisDown' } } }))).toEqual([
      undefined,
      undefined,
    ]);
    const declared = pluginJson.extensions.addedLinks;
    expect(declared.map((d) => d.title).sort()).toEqual(['Open SLO page', 'Open runbook']);
    for (const d of declared) {
      expect(d.targets.sort()).toEqual(
        [PluginExtensionPoints.AlertInstanceAction, PluginExtensionPoints.AlertingAlertingRuleAction].sort()
      );
    }
  });
});
