import React, { useEffect, useRef, useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, Checkbox, Field, Input, RadioButtonGroup, Stack, useStyles2 } from '@grafana/ui';
import { HISTORY_STEP, backtestSegments, runBacktest, sparseDataEnd, type BacktestResult } from '../../api/backtest';
import { prometheusClient } from '../../api/client';
import type { PrometheusClient } from '../../api/prometheus';
import { TIER_PRESETS, tiersOfSlo, type BacktestTier } from '../../slo/backtest';
import type { Slo } from '../../slo/types';
import { BacktestReport } from './BacktestReport';

const RANGES = [
  { value: 30, label: '30 days' },
  { value: 90, label: '90 days' },
];

/** The what-if form: objective in percent (blank: the deployed one), tier names (deployed or presets). */
export interface WhatIf {
  objectivePercent: string;
  tiers: string[];
}

/** Backtest options from the form; an error text instead when the objective is not a percentage in (0, 100). */
export function whatIfOptions(
  slo: Slo,
  form: WhatIf
): { objective?: number; tiers?: BacktestTier[] } | { error: string } {
  const text = form.objectivePercent.trim();
  // toPrecision: 99.9 / 100 is 0.9990000000000001 in floating point.
  const objective = text ? +(Number(text.replace(',', '.')) / 100).toPrecision(12) : undefined;
  if (objective !== undefined && !(objective > 0 && objective < 1)) {
    return { error: `Objective "${text}": a percentage above 0 and below 100, e.g. 99.9.` };
  }
  if (!form.tiers.length) {
    return { error: 'Pick at least one tier.' };
  }
  const deployed = tiersOfSlo(slo);
  const same = form.tiers.length === deployed.length && deployed.every((t) => form.tiers.includes(t.name));
  const tiers = same
    ? undefined
    : form.tiers.map((name) => deployed.find((t) => t.name === name) ?? { name, ...TIER_PRESETS[name] });
  // A deployed tier in a what-if is rebuilt in the contract shape (its own expression holds the old objective).
  return {
    objective: objective === slo.objective ? undefined : objective,
    tiers: tiers?.map(({ expr: _expr, minEvents: _min, ...t }) => t),
  };
}

/**
 * "Alert policy backtest" on the SLO detail page: replays each tier's alert over the last 30 or 90 days on demand
 * (it costs a few range queries per tier), with a what-if objective or tier set. See docs/backtest.md.
 */
export function BacktestSection({ slo, promUid, client }: { slo: Slo; promUid: string; client?: PrometheusClient }) {
  const s = useStyles2(getStyles);
  const deployed = tiersOfSlo(slo).map((t) => t.name);
  const choices = [...deployed, ...Object.keys(TIER_PRESETS).filter((n) => !deployed.includes(n))];
  const [days, setDays] = useState(90);
  const [form, setForm] = useState<WhatIf>({ objectivePercent: '', tiers: deployed });
  const [state, setState] = useState<{ running?: boolean; result?: BacktestResult; error?: string }>({});
  const abort = useRef<AbortController>();
  useEffect(() => () => abort.current?.abort(), []);

  const run = async () => {
    const opts = whatIfOptions(slo, form);
    if ('error' in opts) {
      setState({ error: opts.error });
      return;
    }
    abort.current?.abort();
    const ctl = new AbortController();
    abort.current = ctl;
    setState({ running: true });
    const to = Math.floor(Date.now() / 1000);
    const from = to - days * 86400;
    const prom = client ?? prometheusClient(promUid, 120000);
    try {
      const historyEnd = await sparseDataEnd(prom, slo, from, to, ctl.signal);
      const result = await runBacktest(prom, slo, {
        ...opts,
        segments: backtestSegments(from, to, historyEnd, HISTORY_STEP),
        signal: ctl.signal,
      });
      setState({ result });
    } catch (e) {
      if (!ctl.signal.aborted) {
        setState({ error: e instanceof Error ? e.message : String(e) });
      }
    }
  };

  return (
    <section className={s.section} aria-label="Alert policy backtest" data-testid="backtest-section">
      <h3 className={s.h3}>Alert policy backtest</h3>
      <p className={s.note}>
        Replays each tier&apos;s alert rule (its own expression over the raw counters, honouring <code>for:</code>)
        every 5 minutes over the range: how many alerts it would have raised, how long after each budget-burning
        incident began it fired and how long after it ended it resolved. Where the data has one sample per 5 minutes (a
        backfilled history), windows are widened by 2.5 min so that each holds two samples; <code>for:</code> rounds up
        to 5 minutes. Change the objective or the tiers to see what another policy would have done.
      </p>
      <Stack gap={2} alignItems="flex-end" wrap="wrap">
        <Field label="Range">
          <RadioButtonGroup size="sm" options={RANGES} value={days} onChange={setDays} />
        </Field>
        <Field label="Objective (what-if, %)">
          <Input
            width={14}
            aria-label="What-if objective"
            placeholder={String(+(slo.objective * 100).toFixed(4))}
            value={form.objectivePercent}
            onChange={(e) => setForm({ ...form, objectivePercent: e.currentTarget.value })}
          />
        </Field>
        <Field label="Tiers">
          <Stack gap={1.5}>
            {choices.map((name) => (
              <Checkbox
                key={name}
                label={name}
                value={form.tiers.includes(name)}
                onChange={(e) =>
                  setForm({
                    ...form,
                    tiers: e.currentTarget.checked
                      ? choices.filter((n) => n === name || form.tiers.includes(n))
                      : form.tiers.filter((n) => n !== name),
                  })
                }
              />
            ))}
          </Stack>
        </Field>
        <Field label="">
          <Button icon={state.running ? 'fa fa-spinner' : 'history'} disabled={state.running} onClick={run}>
            {state.running ? 'Replaying…' : 'Replay'}
          </Button>
        </Field>
      </Stack>
      {state.error && (
        <Alert severity="error" title="Backtest failed">
          {state.error}
        </Alert>
      )}
      {state.result && <BacktestReport result={state.result} promUid={promUid} />}
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  section: css({ marginTop: theme.spacing(3) }),
  h3: css({ marginBottom: theme.spacing(1) }),
  note: css({ color: theme.colors.text.secondary, maxWidth: '90ch' }),
});
