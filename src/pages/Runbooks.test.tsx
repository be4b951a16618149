import fs from 'node:fs';
import path from 'node:path';
import React from 'react';
import { fireEvent, screen, within } from '@testing-library/react';
import type { RunbookSource } from '../components/runbooks/sources';
import { testIds } from '../components/testIds';
import { headingSlugs, withoutTitle } from '../slo/runbooks';
import { rulesFromFile } from '../slo/testdata/fixtures';
import RunbooksPage from './Runbooks';
import { prom, renderAt } from './testHelpers';

jest.mock('@grafana/runtime', () => jest.requireActual('./testHelpers').runtimeMock());

const FIXTURE: RunbookSource[] = [
  {
    name: 'api-latency-slo-burn',
    markdown:
      '# API latency SLO burn\n\nWrites are slow.\n\nSee [db failover](db-failover.md).\n\n<script>alert(1)</script>',
  },
  { name: 'db-failover', markdown: '# Database failover\n\nThe primary is gone.' },
];
// The committed runbooks, read as the build bundles them (Jest has no require.context).
const DIR = path.join(__dirname, '../../docs/runbooks');
const REAL: RunbookSource[] = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.md'))
  .map((f) => ({ name: f.replace(/\.md$/, ''), markdown: fs.readFileSync(path.join(DIR, f), 'utf8') }));

let mockRunbooks = FIXTURE;
jest.mock('../components/runbooks/sources', () => ({ bundledRunbooks: () => mockRunbooks }));

// jsdom has no layout, so no scrollIntoView: record which element the page asks the browser to scroll to.
const scrolledTo: Element[] = [];
beforeAll(() => {
  Element.prototype.scrollIntoView = function (this: Element) {
    scrolledTo.push(this);
  };
});

beforeEach(() => {
  mockRunbooks = FIXTURE;
  scrolledTo.length = 0;
  prom.rules = rulesFromFile(undefined, { APILatencySLOSlowBurn: 'pending' });
});

describe('Runbooks', () => {
  it('lists runbooks with the alert rules pointing at them and their live state', async () => {
    renderAt('/runbooks', '/runbooks', <RunbooksPage />);
    const item = screen.getByTestId(testIds.runbooks.item('api-latency-slo-burn'));
    expect(item).toHaveTextContent('API latency SLO burn');
    expect(await within(item).findByText('APILatencySLOSlowBurn')).toHaveAttribute(
      'href',
      '/a/veza-slo-app/slos/api-latency?alert=APILatencySLOSlowBurn'
    );
    expect(
      within(item)
        .getAllByTestId(testIds.overview.alertState)
        .map((e) => e.textContent)
    ).toEqual(['inactive', 'pending']);
    expect(screen.getByTestId(testIds.runbooks.item('db-failover'))).toHaveTextContent(
      'No loaded alert rule links here.'
    );
  });

  it('renders one runbook sanitised, with in-app links between runbooks', async () => {
    renderAt('/runbooks/api-latency-slo-burn', '/runbooks/:name', <RunbooksPage />);
    const body = screen.getByTestId(testIds.runbooks.body);
    expect(body.querySelector('script')).toBeNull();
    expect(within(body).getByRole('link', { name: 'db failover' })).toHaveAttribute(
      'href',
      '/a/veza-slo-app/runbooks/db-failover'
    );
    expect(
      await within(screen.getByTestId(testIds.runbooks.rules)).findByText('APILatencySLOFastBurn')
    ).toBeInTheDocument();
  });

  it('an unknown runbook says so', () => {
    renderAt('/runbooks/nope', '/runbooks/:name', <RunbooksPage />);
    expect(screen.getByText('No runbook named "nope"')).toBeInTheDocument();
  });

  it('opens at the #anchor of the URL: headings carry GitHub-style slug ids', () => {
    mockRunbooks = REAL;
    renderAt('/runbooks/db-failover#no-writable-primary', '/runbooks/:name', <RunbooksPage />);
    const heading = screen.getByRole('heading', { name: 'No writable primary' });
    expect(heading).toHaveAttribute('id', 'no-writable-primary');
    expect(scrolledTo).toEqual([heading]);
  });

  it('a link to a section of the same runbook scrolls there', () => {
    mockRunbooks = REAL;
    renderAt('/runbooks/db-failover', '/runbooks/:name', <RunbooksPage />);
    expect(scrolledTo).toEqual([]);
    const body = screen.getByTestId(testIds.runbooks.body);
    const link = within(body).getAllByRole('link', { name: 'no streaming standby' })[0];
    const heading = screen.getByRole('heading', { name: 'No streaming standby' });
    fireEvent.click(link);
    expect(scrolledTo).toEqual([heading]);
    // Scrolled away and following the same link again: back to the section.
    fireEvent.click(link);
    expect(scrolledTo).toEqual([heading, heading]);
  });

  it.each(REAL.map((r) => [r.name, r]))('%s: rendered heading ids are the anchors the rules suite checks', (_n, rb) => {
    mockRunbooks = REAL;
    renderAt(`/runbooks/${rb.name}`, '/runbooks/:name', <RunbooksPage />);
    const ids = Array.from(screen.getByTestId(testIds.runbooks.body).querySelectorAll('h1, h2, h3, h4, h5, h6')).map(
      (h) => h.id
    );
    expect(ids.length).toBeGreaterThan(2);
    expect(ids).toEqual(headingSlugs(withoutTitle(rb.markdown)));
  });

  it('metric names keep their underscores, in the list and in the runbook', () => {
    mockRunbooks = REAL;
    renderAt('/runbooks', '/runbooks', <RunbooksPage />);
    const item = screen.getByTestId(testIds.runbooks.item('redis-down'));
    expect(item).toHaveTextContent('redis_up == 0');
    expect(item).toHaveTextContent('the redis_exporter itself');
  });

  it('intraword underscores outside code stay literal in the rendered runbook', () => {
    mockRunbooks = [{ name: 'x', markdown: '# X\n\nWatch pg_stat_replication_pg_wal_lsn_diff and _this_.\n' }];
    renderAt('/runbooks/x', '/runbooks/:name', <RunbooksPage />);
    const body = screen.getByTestId(testIds.runbooks.body);
    expect(body).toHaveTextContent('Watch pg_stat_replication_pg_wal_lsn_diff and this.');
    expect(body.querySelectorAll('em')).toHaveLength(1);
  });

  it('code never runs off the page: blocks keep their lines and scroll sideways, inline code wraps', () => {
    mockRunbooks = REAL;
    renderAt('/runbooks/db-failover', '/runbooks/:name', <RunbooksPage />);
    const body = screen.getByTestId(testIds.runbooks.body);
    const pre = body.querySelector('pre')!;
    expect(pre.textContent).toContain('pg_autoctl');
    expect(getComputedStyle(pre)).toMatchObject({ overflowX: 'auto', whiteSpace: 'pre', maxWidth: '100%' });
    expect(getComputedStyle(pre.querySelector('code')!).whiteSpace).toBe('pre');
    const inline = Array.from(body.querySelectorAll('code')).find((c) => !c.closest('pre'))!;
    expect(getComputedStyle(inline)).toMatchObject({ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' });
    expect(getComputedStyle(body.querySelector('table')!).overflowX).toBe('auto');
  });

  it('each alert rule links to its own section of the runbook, and the page scrolls there', async () => {
    mockRunbooks = REAL;
    prom.rules = rulesFromFile(path.join(__dirname, '../../provisioning/prometheus/infra.yml'));
    const { unmount } = renderAt('/runbooks', '/runbooks', <RunbooksPage />);
    const item = screen.getByTestId(testIds.runbooks.item('db-failover'));
    expect(await within(item).findByRole('link', { name: '→ no writable primary' })).toHaveAttribute(
      'href',
      '/a/veza-slo-app/runbooks/db-failover#no-writable-primary'
    );
    unmount();

    renderAt('/runbooks/disk-full', '/runbooks/:name', <RunbooksPage />);
    const aside = screen.getByTestId(testIds.runbooks.rules);
    fireEvent.click(await within(aside).findByRole('link', { name: '→ disk full now' }));
    expect(scrolledTo).toEqual([screen.getByRole('heading', { name: 'Disk full now' })]);
  });
});
