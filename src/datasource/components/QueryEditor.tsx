import React, { useState } from 'react';
import { QueryEditorProps } from '@grafana/data';
import { Combobox, InlineField, InlineFieldRow, InlineSwitch, Input, RadioButtonGroup } from '@grafana/ui';
import { DEFAULT_EVENTS_LIMIT, MAX_EVENTS_LIMIT } from '../constants';
import { PghaDataSource } from '../datasource';
import { FormationFields } from './FormationFields';
import { MEASURES, type Measure, PghaOptions, PghaQuery, QueryType } from '../types';

type Props = QueryEditorProps<PghaDataSource, PghaQuery, PghaOptions>;

export const queryTestIds = {
  queryType: 'data-testid pgha-query-type',
  live: 'data-testid pgha-query-live',
  limit: 'data-testid pgha-query-limit',
  measure: 'data-testid pgha-query-measure',
  objective: 'data-testid pgha-query-objective',
  within: 'data-testid pgha-query-within',
};

const TYPES = [
  { label: 'Topology', value: QueryType.Topology, description: 'Nodes and edges frames (Node Graph shape)' },
  { label: 'Status', value: QueryType.Status, description: 'One row: verdict, reason, runbook' },
  { label: 'Events', value: QueryType.Events, description: 'State changes in the time range' },
  {
    label: 'Episodes',
    value: QueryType.Episodes,
    description: 'Failovers and switchovers in the time range, one row each (annotation regions)',
  },
  {
    label: 'Measures',
    value: QueryType.Measures,
    description: 'Numbers for Grafana alert rules: healthy, verdict code, lag, eligible standbys, …',
  },
  {
    label: 'Failover objective',
    value: QueryType.FailoverObjective,
    description: 'The failovers of the range against an objective: share writable within a limit, met or missed',
  },
  { label: 'Groups', value: QueryType.Groups, description: "One row per group of the formation: each group's verdict" },
];

const ALL_MEASURES = '';
const MEASURE_OPTIONS = [
  { label: 'all', value: ALL_MEASURES, description: 'One series per number' },
  ...MEASURES.map((m) => ({ label: m, value: m })),
];
/** Types that stream (meta.channel): the snapshot ones and the events list. */
const LIVE_TYPES = new Set([QueryType.Topology, QueryType.Status, QueryType.Events]);

export function QueryEditor({ query, onChange, onRunQuery }: Props) {
  const queryType = query.queryType ?? QueryType.Topology;
  const [limitText, setLimitText] = useState(query.limit !== undefined ? String(query.limit) : '');
  const update = (patch: Partial<PghaQuery>) => {
    onChange({ ...query, ...patch });
    onRunQuery();
  };

  const commitLimit = () => {
    const n = Math.trunc(Number(limitText));
    const limit = limitText.trim() === '' || !Number.isFinite(n) || n <= 0 ? undefined : Math.min(n, MAX_EVENTS_LIMIT);
    setLimitText(limit === undefined ? '' : String(limit));
    if (limit !== query.limit) {
      update({ limit });
    }
  };

  return (
    <InlineFieldRow>
      <InlineField label="Query" labelWidth={10}>
        <div data-testid={queryTestIds.queryType}>
          <RadioButtonGroup<QueryType> options={TYPES} value={queryType} onChange={(v) => update({ queryType: v })} />
        </div>
      </InlineField>
      <FormationFields query={query} update={update} />
      {LIVE_TYPES.has(queryType) && (
        <InlineField
          label="Live"
          tooltip={
            queryType === QueryType.Events
              ? "Follow the monitor's LISTEN stream: the list of the last events is re-sent whenever a new one is recorded"
              : "Follow the monitor's LISTEN stream: a failover shows within a second, without a dashboard refresh"
          }
        >
          <InlineSwitch
            data-testid={queryTestIds.live}
            value={Boolean(query.live)}
            onChange={(e) => update({ live: e.currentTarget.checked })}
          />
        </InlineField>
      )}
      {queryType === QueryType.Measures && (
        <InlineField label="Measure" tooltip="One number gives an alert rule one series; all gives one series each">
          <div data-testid={queryTestIds.measure}>
            <Combobox<string>
              aria-label="Measure"
              width={34}
              options={MEASURE_OPTIONS}
              value={query.measure ?? ALL_MEASURES}
              onChange={(v) => update({ measure: v.value ? (v.value as Measure) : undefined })}
            />
          </div>
        </InlineField>
      )}
      {queryType === QueryType.FailoverObjective && (
        <>
          <InlineField label="Objective" tooltip="Share of failovers that must be writable in time, e.g. 0.95">
            <Input
              data-testid={queryTestIds.objective}
              type="number"
              min={0.01}
              max={0.9999}
              step={0.01}
              width={10}
              placeholder="0.95"
              defaultValue={query.objective}
              onBlur={(e) => {
                const v = Number(e.currentTarget.value);
                update({ objective: e.currentTarget.value === '' || !(v > 0 && v < 1) ? undefined : v });
              }}
            />
          </InlineField>
          <InlineField label="Writable within (s)" tooltip="Seconds from the first event to a writable new primary">
            <Input
              data-testid={queryTestIds.within}
              type="number"
              min={1}
              max={3600}
              width={10}
              placeholder="30"
              defaultValue={query.writableWithinSeconds}
              onBlur={(e) => {
                const v = Number(e.currentTarget.value);
                update({
                  writableWithinSeconds: e.currentTarget.value === '' || !(v > 0 && v <= 3600) ? undefined : v,
                });
              }}
            />
          </InlineField>
        </>
      )}
      {(queryType === QueryType.Events || queryType === QueryType.Episodes) && (
        <InlineField
          label="Limit"
          tooltip={`Most recent ${queryType === QueryType.Events ? 'state changes' : 'episodes'} to return (max ${MAX_EVENTS_LIMIT})`}
        >
          <Input
            data-testid={queryTestIds.limit}
            type="number"
            min={1}
            max={MAX_EVENTS_LIMIT}
            width={12}
            placeholder={String(DEFAULT_EVENTS_LIMIT)}
            value={limitText}
            onChange={(e) => setLimitText(e.currentTarget.value)}
            onBlur={commitLimit}
          />
        </InlineField>
      )}
    </InlineFieldRow>
  );
}
