import React from 'react';
import { PanelProps } from '@grafana/data';
import { Topology } from './Topology';
import { TopologyOptions } from './types';

/** veza-pgtopology-panel: Grafana's PanelProps adapted to the reusable Topology component. */
export function TopologyPanel({ data, width, height, options, timeZone }: PanelProps<TopologyOptions>) {
  return (
    <Topology
      series={data.series}
      state={data.state}
      errors={data.errors}
      width={width}
      height={height}
      eventCount={options.eventCount}
      timeZone={timeZone}
    />
  );
}
