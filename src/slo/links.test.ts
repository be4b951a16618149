import type { PromRulesData } from '../api/types';
import { linksOutside } from './links';

const rules = (urls: string[]): PromRulesData => ({
  groups: [
    {
      name: 'g',
      file: 'slo.yml',
      rules: urls.map((u, i) => ({
        type: 'alerting' as const,
        name: `A${i}`,
        query: 'vector(1)',
        annotations: { runbook_url: u },
      })),
    },
  ],
});

describe('linksOutside', () => {
  test('links under the configured Grafana are fine, with or without a trailing slash', () => {
    const data = rules(['http://127.0.0.1:3000/a/veza-slo-app/runbooks/db-failover']);
    expect(linksOutside(data, 'http://127.0.0.1:3000')).toEqual([]);
    expect(linksOutside(data, 'http://127.0.0.1:3000/')).toEqual([]);
  });

  test('links to another Grafana, or to a host that merely starts the same, are reported', () => {
    const other = 'https://grafana.example/a/veza-slo-app/runbooks/disk-full';
    const lookalike = 'http://127.0.0.1:30000/a/veza-slo-app/runbooks/redis-down';
    expect(linksOutside(rules([other, lookalike]), 'http://127.0.0.1:3000')).toEqual([other, lookalike]);
  });

  test('no rules, no complaints', () => {
    expect(linksOutside(undefined, 'http://127.0.0.1:3000')).toEqual([]);
  });
});
