import { GrafanaTheme2 } from '@grafana/data';
import type { BudgetLevel } from '../../slo/budget';
import type { AlertState } from '../../slo/types';

/** Budget bands in theme colours (never hex): they follow dark and light themes. */
export function levelColor(theme: GrafanaTheme2, level: BudgetLevel): string {
  switch (level) {
    case 'ok':
      return theme.colors.success.main;
    case 'warning':
      return theme.colors.warning.main;
    case 'critical':
      return theme.visualization.getColorByName('orange');
    case 'exhausted':
      return theme.colors.error.main;
    default:
      return theme.colors.text.disabled;
  }
}

/** Text variant of the band colour: readable on the page background in both themes. */
export function levelTextColor(theme: GrafanaTheme2, level: BudgetLevel): string {
  switch (level) {
    case 'ok':
      return theme.colors.success.text;
    case 'warning':
    case 'critical':
      return theme.colors.warning.text;
    case 'exhausted':
      return theme.colors.error.text;
    default:
      return theme.colors.text.secondary;
  }
}

export function alertStateColor(theme: GrafanaTheme2, state: AlertState) {
  if (state === 'firing') {
    return { bg: theme.colors.error.main, fg: theme.colors.error.contrastText };
  }
  if (state === 'pending') {
    return { bg: theme.colors.warning.main, fg: theme.colors.warning.contrastText };
  }
  return { bg: theme.colors.background.secondary, fg: theme.colors.text.secondary };
}
