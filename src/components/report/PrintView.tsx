import React, { useEffect } from 'react';
import { createPortal } from 'react-dom';
import { css, injectGlobal } from '@emotion/css';
import { createTheme, GrafanaTheme2, ThemeContext } from '@grafana/data';
import { Button, useStyles2 } from '@grafana/ui';
import { testIds } from '../testIds';

/** Marks the print root: everything else on the page (Grafana's chrome, the app's) is left out of print. */
export const PRINT_ROOT = 'veza-print-root';
const LIGHT = createTheme({ colors: { mode: 'light' } });

let printCss = false;
/** A4 pages, nothing but the print root, no buttons: injected once, the first time a print view opens. */
function usePrintCss() {
  useEffect(() => {
    if (printCss) {
      return;
    }
    printCss = true;
    // eslint-disable-next-line @typescript-eslint/no-unused-expressions -- injectGlobal is a tagged template that inserts the rules
    injectGlobal`
      @media print {
        @page { size: A4; margin: 14mm 12mm; }
        html, body { background: #fff !important; }
        body > *:not(.${PRINT_ROOT}) { display: none !important; }
        .${PRINT_ROOT} { position: static !important; overflow: visible !important; }
        .${PRINT_ROOT} button { display: none !important; }
      }
    `;
  }, []);
}

interface PrintProps {
  title: string;
  period: string;
  timeZone: string;
  generatedAt: number;
  onClose: () => void;
  children: React.ReactNode;
}

/**
 * A document to forward: the children in Grafana's light theme on a white page covering the app, with a header
 * naming the period, the time zone and when it was generated; printing (or "Save as PDF") gives A4 pages without
 * any chrome. Sections keep together (`break-inside: avoid`); a section may start a page (`break-before: page`).
 */
export function PrintView(props: PrintProps) {
  usePrintCss();
  return createPortal(
    <ThemeContext.Provider value={LIGHT}>
      <PrintPage {...props} />
    </ThemeContext.Provider>,
    document.body
  );
}

function PrintPage({ title, period, timeZone, generatedAt, onClose, children }: PrintProps) {
  const s = useStyles2(getStyles);
  const generated = new Date(generatedAt).toISOString().replace('T', ' ').slice(0, 16);
  return (
    <div className={`${PRINT_ROOT} ${s.root}`} data-testid={testIds.report.print}>
      <div className={s.actions}>
        <Button icon="file-alt" onClick={() => window.print()}>
          Print or save as PDF
        </Button>
        <Button variant="secondary" onClick={onClose}>
          Back to the report
        </Button>
      </div>
      <header className={s.header}>
        <h1 className={s.title}>{title}</h1>
        <dl className={s.meta}>
          <dt>Period</dt>
          <dd>{period}</dd>
          <dt>Time zone</dt>
          <dd>{timeZone}</dd>
          <dt>Generated</dt>
          <dd>{generated} UTC</dd>
        </dl>
      </header>
      {children}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  root: css({
    position: 'fixed',
    inset: 0,
    zIndex: theme.zIndex.portal + 1,
    overflow: 'auto',
    padding: theme.spacing(3, 4),
    background: theme.colors.background.primary,
    color: theme.colors.text.primary,
    'section, table, figure': { breakInside: 'avoid' },
    // Grafana's global heading colours follow the app's (dark) theme: the document's follow its own.
    'h1, h2, h3, h4, h5, h6': { color: theme.colors.text.primary },
    // Tables as wide as the page, cells wrapping, never cut at the right margin.
    table: { width: '100%' },
    'td, th': { whiteSpace: 'normal !important', overflowWrap: 'break-word' },
  }),
  actions: css({ display: 'flex', gap: theme.spacing(1), marginBottom: theme.spacing(2) }),
  header: css({
    borderBottom: `2px solid ${theme.colors.border.strong}`,
    marginBottom: theme.spacing(2),
    paddingBottom: theme.spacing(1),
  }),
  title: css({ margin: 0, fontSize: theme.typography.h2.fontSize, color: theme.colors.text.primary }),
  meta: css({
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    columnGap: theme.spacing(2),
    margin: theme.spacing(1, 0, 0),
    dt: { color: theme.colors.text.secondary },
    dd: { margin: 0 },
  }),
});
