import React from 'react';
import type { StandardEditorProps } from '@grafana/data';
import { DataSourcePicker } from '@grafana/runtime';

/** The Prometheus option: Grafana's data source picker limited to Prometheus (clearable: empty = the app's). */
export function PrometheusPicker({ value, onChange }: StandardEditorProps<string>) {
  return (
    <DataSourcePicker
      pluginId="prometheus"
      current={value || null}
      noDefault
      onChange={(ds) => onChange(ds.uid)}
      onClear={() => onChange('')}
    />
  );
}
