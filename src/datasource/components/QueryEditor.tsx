import React, { useState } from 'react';
import { QueryEditorProps } from '@grafana/data';
import { InlineField, InlineFieldRow, InlineSwitch, Input, RadioButtonGroup } from '@grafana/ui';
import { DEFAULT_EVENTS_LIMIT, MAX_EVENTS_LIMIT } from '../constants';
import { PghaDataSource } from '../datasource';
import { PghaOptions, PghaQuery, QueryType } from '../types';

type Props = QueryEditorProps<PghaDataSource, PghaQuery, PghaOptions>;

export const queryTestIds = {
  queryType: 'data-testid pgha-query-type',
  live: 'data-testid pgha-query-live',
  limit: 'data-testid pgha-query-limit',
};

const TYPES = [
  { label: 'Topology', value: QueryType.Topology, description: 'Nodes and edges frames (Node Graph shape)' },
  { label: 'Status', value: QueryType.Status, description: 'One row: verdict, reason, runbook' },
  { label: 'Events', value: QueryType.Events, description: 'State changes in the time range (annotations)' },
];

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
      {queryType === QueryType.Events && (
        <InlineField label="Limit" tooltip={`Most recent state changes to return (max ${MAX_EVENTS_LIMIT})`}>
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
