// The PgBouncer hook's decisions, kept free of I/O so they can be tested on their own (stack/test/hook.test.ts).

/** The part of a monitor `NOTIFY state` payload the hook reads, or why it could not be read. */
export type StateNotice = { name: string; reportedState: string; goalState: string } | { unreadable: string };

const WRITABLE = ['single', 'wait_primary', 'primary'];

/**
 * Reads a `NOTIFY state` payload. A payload that is not the monitor's JSON (another client's NOTIFY, a future
 * format) must not stop the hook: it is reported as unreadable, and the hook checks the monitor anyway.
 */
export function parseNotice(payload: string | undefined): StateNotice {
  let data: unknown;
  try {
    data = JSON.parse(payload ?? '');
  } catch {
    return { unreadable: `not JSON: ${JSON.stringify((payload ?? '').slice(0, 80))}` };
  }
  const d = data as Record<string, unknown> | null;
  if (!d || typeof d !== 'object' || typeof d.reportedState !== 'string' || typeof d.goalState !== 'string') {
    return { unreadable: 'JSON without reportedState/goalState' };
  }
  return { name: String(d.name ?? '?'), reportedState: d.reportedState, goalState: d.goalState };
}

/** A notice that may mean a new writable node: the hook re-checks on these (and on any unreadable one). */
export const worthChecking = (n: StateNotice) =>
  'unreadable' in n || (n.reportedState === n.goalState && WRITABLE.includes(n.reportedState));

/**
 * What the hook must do, judged by where PgBouncer really routes (its SHOW DATABASES), not by what the ini file
 * says: after a RELOAD that failed, the file already names the new node while PgBouncer still uses the old one.
 */
export function plan(
  primary: number | undefined,
  routed: number | undefined,
  configured: number | undefined
): 'nothing' | 'reload' | 'rewrite-and-reload' {
  if (primary === undefined || routed === primary) {
    return 'nothing';
  }
  return configured === primary ? 'reload' : 'rewrite-and-reload';
}
