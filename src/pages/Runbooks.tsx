import React, { useCallback, useEffect, useMemo, useRef } from 'react';
import { Link, useLocation, useNavigate, useParams, type To } from 'react-router-dom';
import { css } from '@emotion/css';
import { GrafanaTheme2, renderMarkdown } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Alert, useStyles2 } from '@grafana/ui';
import { prometheusClient } from '../api/client';
import { errorText } from '../api/errors';
import { bundledRunbooks } from '../components/runbooks/sources';
import { useAppSettings } from '../components/settingsContext';
import { AlertBadge } from '../components/slo/AlertBadge';
import { sloPath } from '../components/slo/links';
import { testIds } from '../components/testIds';
import { usePolling } from '../components/usePolling';
import { PLUGIN_BASE_URL, ROUTES } from '../constants';
import {
  alertsByRunbook,
  rewriteRunbookLinks,
  runbookSummary,
  runbookTitle,
  slugger,
  withoutTitle,
  type RunbookAlert,
} from '../slo/runbooks';

const BASE = `${PLUGIN_BASE_URL}/${ROUTES.Runbooks}`;

/** `runbooks`: every bundled runbook with the alert rules that point to it; `runbooks/<name>`: one, rendered. */
function RunbooksPage() {
  const { name } = useParams();
  const s = useStyles2(getStyles);
  const { prometheusUid } = useAppSettings();
  const runbooks = useMemo(() => bundledRunbooks(), []);
  const load = useCallback(
    async (signal: AbortSignal) => alertsByRunbook(await prometheusClient(prometheusUid).rules({ signal })),
    [prometheusUid]
  );
  const rules = usePolling(load, prometheusUid ?? '', 60000);
  const rulesNote = rules.error ? (
    <Alert severity="warning" title="Alert states unavailable">
      {errorText(rules.error)}
    </Alert>
  ) : null;

  if (name) {
    const rb = runbooks.find((r) => r.name === name);
    const alerts = rules.data?.get(name) ?? [];
    return (
      <PluginPage
        pageNav={{ text: rb ? runbookTitle(rb.markdown, rb.name) : name, parentItem: { text: 'Runbooks', url: BASE } }}
      >
        <div data-testid={testIds.pages.Runbooks}>
          {rulesNote}
          {!rb ? (
            <Alert severity="error" title={`No runbook named "${name}"`}>
              It is not in docs/runbooks/ of this build. <Link to={BASE}>See all runbooks</Link>.
            </Alert>
          ) : (
            <div className={s.layout}>
              <RunbookBody markdown={rb.markdown} />
              <aside className={s.aside} data-testid={testIds.runbooks.rules} aria-label="Alert rules that link here">
                <h3 className={s.h3}>Alert rules that link here</h3>
                {rules.loading && !rules.data ? (
                  <p className={s.muted}>Loading alert states…</p>
                ) : (
                  <AlertList alerts={alerts} sectionLink={(id) => ({ hash: `#${encodeURIComponent(id)}` })} />
                )}
              </aside>
            </div>
          )}
        </div>
      </PluginPage>
    );
  }

  return (
    <PluginPage subTitle="Pinned to the alert rules through runbook_url">
      <div data-testid={testIds.pages.Runbooks}>
        {rulesNote}
        {runbooks.length === 0 ? (
          <Alert severity="warning" title="No runbooks in this build">
            The build bundles docs/runbooks/*.md; none were found when it was built.
          </Alert>
        ) : (
          <ul className={s.list} data-testid={testIds.runbooks.list}>
            {runbooks.map((rb) => {
              const alerts = rules.data?.get(rb.name) ?? [];
              return (
                <li key={rb.name} className={s.card} data-testid={testIds.runbooks.item(rb.name)}>
                  <Link to={`${BASE}/${rb.name}`} className={s.title}>
                    {runbookTitle(rb.markdown, rb.name)}
                  </Link>
                  <p className={s.muted}>{runbookSummary(rb.markdown)}</p>
                  <AlertList
                    alerts={alerts}
                    sectionLink={(id) => `${BASE}/${rb.name}#${encodeURIComponent(id)}`}
                    compact
                  />
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </PluginPage>
  );
}

export default RunbooksPage;

/** Alerts that link to a runbook; each one's section of it is a click away (`→ section`). */
function AlertList({
  alerts,
  sectionLink,
  compact,
}: {
  alerts: RunbookAlert[];
  sectionLink: (section: string) => To;
  compact?: boolean;
}) {
  const s = useStyles2(getStyles);
  if (!alerts.length) {
    return <p className={s.muted}>No loaded alert rule links here.</p>;
  }
  return (
    <ul className={s.alerts}>
      {alerts.map((a) => (
        <li key={`${a.group}/${a.name}/${a.severity}`}>
          <AlertBadge state={a.state} />{' '}
          {a.slo ? <Link to={sloPath(a.slo, { alert: a.name })}>{a.name}</Link> : <span>{a.name}</span>}
          {a.severity && <span className={s.muted}> · {a.severity}</span>}
          {a.section && (
            <>
              {' '}
              <Link to={sectionLink(a.section)} className={s.muted}>
                → {a.section.replace(/-/g, ' ')}
              </Link>
            </>
          )}
          {!compact && a.summary && <div className={s.muted}>{a.summary}</div>}
        </li>
      ))}
    </ul>
  );
}

/**
 * Markdown rendered with @grafana/data (sanitised there); links between runbooks stay inside the app. Headings
 * get GitHub-style slug ids (the sanitiser strips ids, so they are set after rendering) and the page scrolls to
 * the URL's #anchor: alerts link to the section of their runbook (runbook_url …/runbooks/<name>#<slug>).
 */
function RunbookBody({ markdown }: { markdown: string }) {
  const s = useStyles2(getStyles);
  const navigate = useNavigate();
  const { hash, key } = useLocation();
  const ref = useRef<HTMLDivElement>(null);
  const html = useMemo(() => renderMarkdown(rewriteRunbookLinks(withoutTitle(markdown), BASE)), [markdown]);
  useEffect(() => {
    const headings = Array.from(ref.current?.querySelectorAll<HTMLElement>('h1, h2, h3, h4, h5, h6') ?? []);
    const slug = slugger();
    headings.forEach((h) => (h.id = slug(h.textContent ?? '')));
    const id = safeDecode(hash.replace(/^#/, ''));
    headings.find((h) => id && h.id === id)?.scrollIntoView({ block: 'start' });
  }, [html, hash, key]); // key: following the same #link again scrolls there again
  const onClick = (e: React.MouseEvent<HTMLDivElement>) => {
    const a = (e.target as HTMLElement).closest('a');
    const href = a?.getAttribute('href');
    if (href && (href.startsWith(PLUGIN_BASE_URL) || href.startsWith('#')) && !e.metaKey && !e.ctrlKey) {
      e.preventDefault();
      navigate(href.startsWith('#') ? { hash: href } : href);
    }
  };
  return (
    // The click handler only routes in-app links; the links themselves stay keyboard reachable.
    <div
      ref={ref}
      className={s.markdown}
      data-testid={testIds.runbooks.body}
      onClick={onClick}
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const getStyles = (theme: GrafanaTheme2) => ({
  layout: css({
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr) 320px',
    gap: theme.spacing(3),
    [theme.breakpoints.down('lg')]: { gridTemplateColumns: 'minmax(0, 1fr)' },
  }),
  aside: css({
    alignSelf: 'start',
    position: 'sticky',
    top: theme.spacing(2),
    padding: theme.spacing(2),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.primary,
  }),
  h3: css({ fontSize: theme.typography.h5.fontSize }),
  list: css({
    listStyle: 'none',
    padding: 0,
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(360px, 1fr))',
    gap: theme.spacing(2),
  }),
  card: css({
    padding: theme.spacing(2),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.primary,
  }),
  title: css({ fontSize: theme.typography.h4.fontSize, color: theme.colors.text.link }),
  muted: css({ color: theme.colors.text.secondary }),
  alerts: css({ listStyle: 'none', padding: 0, margin: 0, li: { marginBottom: theme.spacing(0.5) } }),
  // Long commands and PromQL must never run off the page: Grafana's global styles make inline code `nowrap` and
  // code blocks `pre-wrap` with break-all. Here code blocks keep their lines (copy-paste exact) and scroll
  // sideways inside the column; inline code wraps; wide tables scroll.
  markdown: css({
    maxWidth: 900,
    minWidth: 0,
    lineHeight: 1.6,
    overflowWrap: 'anywhere',
    'pre, code': { fontFamily: theme.typography.fontFamilyMonospace },
    code: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
    pre: {
      maxWidth: '100%',
      overflowX: 'auto',
      whiteSpace: 'pre',
      wordBreak: 'normal',
      padding: theme.spacing(1.5),
      background: theme.colors.background.secondary,
    },
    'pre code': { whiteSpace: 'pre', overflowWrap: 'normal' },
    table: { display: 'block', maxWidth: '100%', overflowX: 'auto' },
    'h1, h2, h3, h4, h5, h6': { scrollMarginTop: theme.spacing(10) },
    a: { color: theme.colors.text.link, textDecoration: 'underline' },
    'table td, table th': { border: `1px solid ${theme.colors.border.weak}`, padding: theme.spacing(0.5, 1) },
  }),
});
