import { GrafanaTheme2 } from '@grafana/data';
import { Tone } from '../model';

export interface ToneColors {
  /** Solid colour: box borders, arrows, banner background. */
  main: string;
  /** Text in that colour on the panel background. */
  text: string;
  /** Text on top of `main`. */
  contrast: string;
  /** Faint fill behind a box of that tone. */
  faint: string;
}

/** Semantic tone → theme colours (never hex: light, dark and high-contrast themes all work). */
export function toneColors(theme: GrafanaTheme2, tone: Tone): ToneColors {
  const c = theme.colors;
  const rich =
    tone === 'ok'
      ? c.success
      : tone === 'warning'
        ? c.warning
        : tone === 'critical'
          ? c.error
          : tone === 'transition'
            ? c.info
            : undefined;
  if (!rich) {
    return {
      main: c.text.disabled,
      text: c.text.secondary,
      contrast: c.background.primary,
      faint: c.background.secondary,
    };
  }
  return { main: rich.main, text: rich.text, contrast: rich.contrastText, faint: rich.transparent };
}
