import React from 'react';
import type { SloView } from '../../slo/status';
import { formatPercent, formatSli } from '../../slo/words';
import { testIds } from '../testIds';

/**
 * "Corrected" in a tile's or the SLO page's facts: the rolling budget left and SLI with the events inside the
 * window's corrections left out, beside the raw figures above it. Nothing without a correction in the window.
 */
export function CorrectedBudget({ view, withSli = false }: { view: SloView; withSli?: boolean }) {
  const c = view.corrected;
  if (!c) {
    return null;
  }
  const n = `${c.windows} correction window${c.windows === 1 ? '' : 's'}`;
  const budget = c.remaining === undefined ? 'unknown' : `${formatPercent(c.remaining, 1)} left`;
  return (
    <>
      <dt title={`Maintenance and accepted incidents in the rolling ${view.slo.windowLabel} are left out (${n}).`}>
        Corrected
      </dt>
      <dd
        data-testid={testIds.overview.corrected}
        title={`Raw ${formatPercent(view.remaining, 1)} left; ${n} left out. Alerts are not changed by corrections.`}
      >
        {budget}
        {withSli && ` · SLI ${c.noTraffic ? 'no traffic' : formatSli(c.sli)}`}
      </dd>
    </>
  );
}
