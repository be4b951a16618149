import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import type { AlertState } from '../../slo/types';
import { testIds } from '../testIds';
import { alertStateColor } from './colors';

/** Alert state as a pill: the word is always there, colour only reinforces it (colour-blind safe). */
export function AlertBadge({
  state,
  label,
  large,
  fontPx,
}: {
  state: AlertState;
  label?: string;
  large?: boolean;
  /** An exact size (the wall's type scale); wins over `large`. */
  fontPx?: number;
}) {
  const theme = useTheme2();
  const s = useStyles2(getStyles);
  const c = alertStateColor(theme, state);
  return (
    <span
      className={s.badge}
      style={{ background: c.bg, color: c.fg, fontSize: fontPx ?? (large ? theme.typography.h5.fontSize : undefined) }}
      data-testid={testIds.overview.alertState}
      data-state={state}
    >
      {label ? `${label}: ` : ''}
      {state}
    </span>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  badge: css({
    display: 'inline-block',
    padding: theme.spacing(0.25, 1),
    borderRadius: theme.shape.radius.pill,
    fontSize: theme.typography.bodySmall.fontSize,
    fontWeight: theme.typography.fontWeightMedium,
    whiteSpace: 'nowrap',
    border: `1px solid ${theme.colors.border.weak}`,
  }),
});
