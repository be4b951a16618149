import React, { useState } from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, GrafanaTheme2 } from '@grafana/data';
import { Alert, ConfirmButton, useStyles2 } from '@grafana/ui';
import { deleteCorrection } from '../../api/annotations';
import { errorText } from '../../api/errors';
import { CORRECTION_KINDS, type Correction } from '../../slo/corrections';
import type { Slo } from '../../slo/types';
import { testIds } from '../testIds';
import { formatLocal } from './CorrectionForm';

export const ALERTS_UNCHANGED = 'Alerts are not changed by corrections: burn-rate rules read the raw counters.';

/** The period's corrections, read-only for viewers; editors may delete those kept as annotations. */
export function CorrectionsSection(props: {
  corrections: Correction[];
  slos: Slo[];
  timeZone: string;
  canWrite: boolean;
  onChanged: () => void;
}) {
  const s = useStyles2(getStyles);
  const [error, setError] = useState<string>();
  const { timeZone } = props;
  const title = (id: string) => props.slos.find((x) => x.id === id)?.title ?? id;
  const remove = async (c: Correction) => {
    try {
      await deleteCorrection(c);
      props.onChanged();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <section data-testid={testIds.corrections.section}>
      <h3 className={s.h3}>Corrections</h3>
      <p>
        Maintenance windows and accepted incidents: their events are left out of the corrected figures.{' '}
        {ALERTS_UNCHANGED}
      </p>
      {error && (
        <Alert severity="error" title="Correction not deleted">
          {error}
        </Alert>
      )}
      {props.corrections.length === 0 ? (
        <p className={s.muted}>No correction in this period.</p>
      ) : (
        <table className={s.table}>
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">SLOs</th>
              <th scope="col">Window ({timeZone})</th>
              <th scope="col">Reason</th>
              <th scope="col">Author</th>
              <th scope="col">Created</th>
              {props.canWrite && <th scope="col" />}
            </tr>
          </thead>
          <tbody>
            {[...props.corrections]
              .sort((a, b) => a.from - b.from)
              .map((c) => (
                <tr key={c.id} data-testid={testIds.corrections.item}>
                  <td>{CORRECTION_KINDS.find((k) => k.kind === c.kind)?.label ?? c.kind}</td>
                  <td>{c.sloIds === 'all' ? 'all SLOs' : c.sloIds.map(title).join(', ')}</td>
                  <td className={s.num}>
                    {formatLocal(c.from, timeZone)} – {formatLocal(c.to, timeZone)}
                  </td>
                  <td>{c.reason}</td>
                  <td>{c.recurring ? 'SLO spec (recurring)' : (c.author ?? '—')}</td>
                  <td className={s.num}>
                    {c.createdAt !== undefined
                      ? dateTimeFormat(c.createdAt, { format: 'YYYY-MM-DD HH:mm', timeZone })
                      : '—'}
                  </td>
                  {props.canWrite && (
                    <td>
                      {!c.recurring && (
                        <span data-testid={testIds.corrections.delete}>
                          <ConfirmButton
                            size="sm"
                            confirmText="Delete"
                            confirmVariant="destructive"
                            onConfirm={() => remove(c)}
                          >
                            Delete
                          </ConfirmButton>
                        </span>
                      )}
                    </td>
                  )}
                </tr>
              ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  h3: css({ marginTop: theme.spacing(3), fontSize: theme.typography.h4.fontSize }),
  muted: css({ color: theme.colors.text.secondary }),
  num: css({ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }),
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    'th, td': { textAlign: 'left', padding: theme.spacing(1), borderBottom: `1px solid ${theme.colors.border.weak}` },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
});
