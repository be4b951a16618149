import React, { useState } from 'react';
import { dateTimeFormat } from '@grafana/data';
import { Alert, Button, Checkbox, Field, Input, Modal, RadioButtonGroup, Stack, TextArea } from '@grafana/ui';
import { createCorrection, newCorrectionProblem } from '../../api/annotations';
import { errorText } from '../../api/errors';
import { CORRECTION_KINDS, type CorrectionKind } from '../../slo/corrections';
import { localTimeMs } from '../../slo/periods';
import type { Slo } from '../../slo/types';
import { testIds } from '../testIds';

export interface CorrectionDraft {
  sloIds: string[];
  from: number;
  to: number;
}

const FORMAT = 'YYYY-MM-DD HH:mm';
export const formatLocal = (ms: number, timeZone: string) => dateTimeFormat(ms, { format: FORMAT, timeZone });

/** "2026-11-30 03:00" read in the zone; undefined when it is not such a time. */
export function parseLocal(text: string, timeZone: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) {
    return undefined;
  }
  const [y, mo, d, h, mi] = m.slice(1).map(Number);
  return localTimeMs(y, mo - 1, d, h, mi, timeZone);
}

/**
 * The "Correct…" form: kind, SLOs, window (in the report's time zone, prefilled from the row or the chart's
 * selection) and a required reason; saved as a Grafana annotation, then `onSaved` reloads the report.
 */
export function CorrectionForm(props: {
  draft: CorrectionDraft;
  slos: Slo[];
  timeZone: string;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { draft, slos, timeZone } = props;
  const [kind, setKind] = useState<CorrectionKind>('maintenance');
  const [sloIds, setSloIds] = useState<string[]>(draft.sloIds);
  const [from, setFrom] = useState(formatLocal(draft.from, timeZone));
  const [to, setTo] = useState(formatLocal(draft.to, timeZone));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);

  const save = async () => {
    const fromMs = parseLocal(from, timeZone);
    const toMs = parseLocal(to, timeZone);
    if (fromMs === undefined || toMs === undefined) {
      setError(`Write the window as ${FORMAT} in ${timeZone}.`);
      return;
    }
    const c = {
      kind,
      sloIds: sloIds.length === slos.length ? ('all' as const) : sloIds,
      from: fromMs,
      to: toMs,
      reason,
    };
    const problem = newCorrectionProblem(c);
    if (problem) {
      setError(problem);
      return;
    }
    setSaving(true);
    try {
      await createCorrection(c);
      props.onSaved();
    } catch (e) {
      setError(errorText(e));
      setSaving(false);
    }
  };

  return (
    <Modal title="Correct the budget" isOpen onDismiss={props.onClose}>
      <div data-testid={testIds.corrections.form}>
        <Field label="Kind">
          <RadioButtonGroup
            options={CORRECTION_KINDS.map((k) => ({ value: k.kind, label: k.label }))}
            value={kind}
            onChange={setKind}
          />
        </Field>
        <Field label="SLOs" description="All of them is saved as slo:*, so SLOs added later are corrected too.">
          <Stack direction="column" gap={0.5}>
            {slos.map((s) => (
              <Checkbox
                key={s.id}
                label={s.title}
                value={sloIds.includes(s.id)}
                onChange={(e) =>
                  setSloIds(e.currentTarget.checked ? [...sloIds, s.id] : sloIds.filter((x) => x !== s.id))
                }
              />
            ))}
          </Stack>
        </Field>
        <Stack gap={2}>
          <Field label={`From (${timeZone})`}>
            <Input value={from} onChange={(e) => setFrom(e.currentTarget.value)} aria-label="From" />
          </Field>
          <Field label={`To (${timeZone})`}>
            <Input value={to} onChange={(e) => setTo(e.currentTarget.value)} aria-label="To" />
          </Field>
        </Stack>
        <Field label="Reason" required description="Why these events should not count (kept as the annotation's text).">
          <TextArea
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            aria-label="Reason"
            data-testid={testIds.corrections.reason}
          />
        </Field>
        <p>Alerts are not changed by corrections: burn-rate rules read the raw counters.</p>
        {error && (
          <Alert severity="error" title="Not saved" data-testid={testIds.corrections.error}>
            {error}
          </Alert>
        )}
      </div>
      <Modal.ButtonRow>
        <Button variant="secondary" onClick={props.onClose}>
          Cancel
        </Button>
        <Button onClick={save} disabled={saving} data-testid={testIds.corrections.save}>
          {saving ? 'Saving…' : 'Save correction'}
        </Button>
      </Modal.ButtonRow>
    </Modal>
  );
}
