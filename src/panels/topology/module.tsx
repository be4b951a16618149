import { PanelPlugin } from '@grafana/data';
import { TopologyPanel } from './TopologyPanel';
import { TopologyOptions } from './types';

export const plugin = new PanelPlugin<TopologyOptions>(TopologyPanel).setPanelOptions((builder) =>
  builder.addNumberInput({
    path: 'eventCount',
    name: 'Events shown',
    description: 'How many of the last formation state changes to list (0 hides the list)',
    defaultValue: 5,
    settings: { min: 0, max: 50, integer: true },
  })
);
