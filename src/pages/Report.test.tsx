import React from 'react';
import { act, fireEvent, screen, within } from '@testing-library/react';
import { OrgRole } from '@grafana/data';
import { config } from '@grafana/runtime';
import { testIds } from '../components/testIds';
import { rulesFromFile } from '../slo/testdata/fixtures';
import ReportPage from './Report';
import { prom, renderAt } from './testHelpers';

jest.mock('@grafana/runtime', () => jest.requireActual('./testHelpers').runtimeMock());

const asRole = (role: 'Viewer' | 'Editor') => {
  const orgRole = role === 'Editor' ? OrgRole.Editor : OrgRole.Viewer;
  config.bootData.user = { ...config.bootData.user, orgRole, permissions: {}, isGrafanaAdmin: false };
};

const correction = {
  id: 3,
  time: Date.UTC(2026, 10, 8, 3),
  timeEnd: Date.UTC(2026, 10, 8, 4),
  tags: ['veza-slo-correction', 'kind:maintenance', 'slo:payment-success'],
  text: 'PSP failover drill',
  login: 'ed',
  created: Date.UTC(2026, 10, 7),
};

beforeEach(() => {
  prom.calls = [];
  prom.down = false;
  prom.rules = rulesFromFile();
  prom.annotations = [{ ...correction }];
  prom.annotationWriteStatus = undefined;
});

const open = () => renderAt('/report?period=2026-11&tz=UTC', '/report', <ReportPage />);

describe('report: corrections', () => {
  it('reads the period’s corrections, lists them and shows a corrected figure for the SLO they name', async () => {
    asRole('Viewer');
    open();
    const section = await screen.findByTestId(testIds.corrections.section);
    const annotationsCall = prom.calls.find((c) => c.startsWith('/api/annotations'))!;
    expect(new URL(annotationsCall, 'http://x').searchParams.get('tags')).toBe('veza-slo-correction');
    expect(within(section).getByTestId(testIds.corrections.item)).toHaveTextContent(
      /Maintenance window.*Payment success.*2026-11-08 03:00 – 2026-11-08 04:00.*PSP failover drill.*ed/
    );
    expect(section).toHaveTextContent('Alerts are not changed by corrections: burn-rate rules read the raw counters.');
    const table = screen.getByTestId(testIds.report.table);
    // SLI and budget used of payment-success only.
    expect(within(table).getAllByTestId(testIds.report.corrected)).toHaveLength(2);
    // A viewer: the list is read-only and no row offers "Correct…".
    expect(screen.queryByTestId(testIds.report.correct)).not.toBeInTheDocument();
    expect(screen.queryByTestId(testIds.corrections.delete)).not.toBeInTheDocument();
  });

  it('an editor corrects a row: the form is prefilled, needs a reason, posts the annotation and reloads', async () => {
    asRole('Editor');
    prom.annotations = [];
    open();
    const buttons = await screen.findAllByTestId(testIds.report.correct);
    fireEvent.click(buttons[0]);
    const form = await screen.findByTestId(testIds.corrections.form);
    fireEvent.click(screen.getByTestId(testIds.corrections.save));
    expect(await within(form).findByTestId(testIds.corrections.error)).toHaveTextContent('A reason is required');
    fireEvent.change(screen.getByTestId(testIds.corrections.reason), { target: { value: 'Planned DB upgrade' } });
    await act(async () => fireEvent.click(screen.getByTestId(testIds.corrections.save)));
    expect(prom.annotations).toHaveLength(1);
    expect(prom.annotations[0]).toMatchObject({ text: 'Planned DB upgrade' });
    expect(prom.annotations[0].tags).toEqual(expect.arrayContaining(['veza-slo-correction', 'kind:maintenance']));
    expect(await screen.findByTestId(testIds.corrections.item)).toHaveTextContent('Planned DB upgrade');
  });

  it('a 403 on save reads "only editors can add corrections"', async () => {
    asRole('Editor');
    prom.annotationWriteStatus = 403;
    open();
    fireEvent.click((await screen.findAllByTestId(testIds.report.correct))[0]);
    fireEvent.change(await screen.findByTestId(testIds.corrections.reason), { target: { value: 'x' } });
    await act(async () => fireEvent.click(screen.getByTestId(testIds.corrections.save)));
    expect(await screen.findByTestId(testIds.corrections.error)).toHaveTextContent(
      /^.*Only editors can add corrections/
    );
  });
});
