import { PanelPlugin } from '@grafana/data';
import { PrometheusPicker } from './PrometheusPicker';
import { SloPanel } from './SloPanel';
import { DEFAULT_OPTIONS, type SloPanelOptions } from './types';

export const plugin = new PanelPlugin<SloPanelOptions>(SloPanel).setPanelOptions((builder) =>
  builder
    .addCustomEditor({
      id: 'prometheusUid',
      path: 'prometheusUid',
      name: 'Prometheus',
      description: 'The data source whose rules list the SLOs; empty uses the one the Veza SLO app is configured with',
      editor: PrometheusPicker,
      defaultValue: DEFAULT_OPTIONS.prometheusUid,
    })
    .addTextInput({
      path: 'slos',
      name: 'SLOs',
      description: 'SLO ids, comma-separated (e.g. api-availability, payment-success); empty shows every SLO',
      defaultValue: DEFAULT_OPTIONS.slos,
    })
    .addRadio({
      path: 'order',
      name: 'Order',
      defaultValue: DEFAULT_OPTIONS.order,
      settings: {
        options: [
          { value: 'worst', label: 'Worst first' },
          { value: 'listed', label: 'As listed' },
        ],
      },
    })
    .addRadio({
      path: 'size',
      name: 'Size',
      description: 'Wall: larger tiles and type for a NOC screen',
      defaultValue: DEFAULT_OPTIONS.size,
      settings: {
        options: [
          { value: 'compact', label: 'Compact' },
          { value: 'wall', label: 'Wall' },
        ],
      },
    })
    .addTextInput({
      path: 'refresh',
      name: 'Refresh',
      description: 'How often the panel reads Prometheus (e.g. 30s, 1m); a dashboard refresh reloads it too',
      defaultValue: DEFAULT_OPTIONS.refresh,
    })
);
