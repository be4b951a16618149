/**
 * Budget corrections through Grafana's annotations HTTP API (DESIGN.md, "Grafana's own stores first"): read by
 * tag, written as region annotations, deleted by id. Grafana keeps the author and the times; the request and
 * answer shapes are Grafana's (the preview host serves the same API). Errors say what broke and what to do.
 */
import { lastValueFrom } from 'rxjs';
import { config } from '@grafana/runtime';
import {
  type Correction,
  type CorrectionKind,
  correctionsFromAnnotations,
  correctionTags,
  CORRECTION_TAG,
  type GrafanaAnnotation,
} from '../slo/corrections';
import { backendSrv } from './client';
import type { BackendSrvLike } from './prometheus';
import { type GivenCorrections, ROLLING_CORRECTIONS_SPAN_MS } from './rollingCorrections';

/** Most annotations read for one period: Grafana answers 100 by default, far fewer than a quarter may hold. */
export const CORRECTIONS_LIMIT = 1000;

export class AnnotationsError extends Error {
  constructor(
    message: string,
    readonly status?: number
  ) {
    super(message);
    this.name = 'AnnotationsError';
  }
}

interface FetchErrorLike {
  status?: number;
  data?: { message?: string } | string;
  message?: string;
}

/** "only editors can add corrections" for a 403; otherwise what Grafana said, with the status. */
function annotationsError(e: unknown, doing: 'read' | 'add' | 'delete'): AnnotationsError {
  const err = (e ?? {}) as FetchErrorLike;
  const status = typeof err.status === 'number' ? err.status : undefined;
  const detail = (typeof err.data === 'object' ? err.data?.message : err.data) || err.message || '';
  if ((status === 401 || status === 403) && doing !== 'read') {
    return new AnnotationsError(
      `Only editors can ${doing} corrections (Grafana answered HTTP ${status}): ask an Editor or an Admin of this organization.`,
      status
    );
  }
  const what = { read: 'read the corrections', add: 'add the correction', delete: 'delete the correction' }[doing];
  const where = status
    ? `Grafana's annotations API answered HTTP ${status}`
    : "Grafana's annotations API did not answer";
  const tail =
    doing === 'read' ? ' The figures below are the raw ones.' : ' Nothing was changed; try again in a moment.';
  return new AnnotationsError(
    `Could not ${what}: ${where}${detail ? ` (${detail.slice(0, 200)})` : ''}.${tail}`,
    status
  );
}

async function call<T>(
  srv: BackendSrvLike,
  doing: 'read' | 'add' | 'delete',
  req: Parameters<BackendSrvLike['fetch']>[0]
) {
  try {
    // Errors are shown by the page in words; Grafana's own toast would repeat them.
    const r = await lastValueFrom(srv.fetch<T>({ showErrorAlert: false, showSuccessAlert: false, ...req }));
    return r.data;
  } catch (e) {
    throw annotationsError(e, doing);
  }
}

export interface LoadedCorrections {
  corrections: Correction[];
  /** The answer held CORRECTIONS_LIMIT annotations: some may be missing (the page says so). */
  truncated: boolean;
}

/**
 * The corrections of the rolling windows, for the overview and the SLO page (loadOverview's `corrections`): read
 * from Grafana's annotations over the longest window; a failed or truncated read becomes a problem the page shows
 * as partial data, and the figures stay raw.
 */
export function readRollingCorrections(nowMs = Date.now(), srv?: BackendSrvLike): Promise<GivenCorrections> {
  return loadCorrections(nowMs - ROLLING_CORRECTIONS_SPAN_MS, nowMs, srv).then(
    (r) => ({
      corrections: r.corrections,
      problem: r.truncated
        ? `more than ${CORRECTIONS_LIMIT} corrections in the SLO windows: only the first are applied`
        : undefined,
    }),
    (e: Error) => ({ corrections: [], problem: e.message })
  );
}

/** The corrections whose windows overlap [fromMs, toMs]: region annotations tagged as corrections. */
export async function loadCorrections(
  fromMs: number,
  toMs: number,
  srv: BackendSrvLike = backendSrv()
): Promise<LoadedCorrections> {
  const q = new URLSearchParams({
    tags: CORRECTION_TAG,
    type: 'annotation',
    from: String(Math.floor(fromMs)),
    to: String(Math.ceil(toMs)),
    limit: String(CORRECTIONS_LIMIT),
  });
  const list = await call<GrafanaAnnotation[]>(srv, 'read', { url: `/api/annotations?${q}`, method: 'GET' });
  if (!Array.isArray(list)) {
    throw new AnnotationsError(
      "Could not read the corrections: Grafana's annotations API answered something else than a list."
    );
  }
  return { corrections: correctionsFromAnnotations(list), truncated: list.length >= CORRECTIONS_LIMIT };
}

export interface NewCorrection {
  kind: CorrectionKind;
  sloIds: string[] | 'all';
  from: number;
  to: number;
  reason: string;
}

/** Checks a correction before it is sent; the message names the field to fix. */
export function newCorrectionProblem(c: NewCorrection): string | undefined {
  if (!c.reason.trim()) {
    return 'A reason is required: say why these events should not count.';
  }
  if (c.sloIds !== 'all' && !c.sloIds.length) {
    return 'Pick at least one SLO.';
  }
  if (!Number.isFinite(c.from) || !Number.isFinite(c.to) || !(c.to > c.from)) {
    return 'The window must end after it starts.';
  }
  return undefined;
}

/** POST /api/annotations: a region annotation tagged as a correction; answers its annotation id. */
export async function createCorrection(c: NewCorrection, srv: BackendSrvLike = backendSrv()): Promise<number> {
  const problem = newCorrectionProblem(c);
  if (problem) {
    throw new AnnotationsError(problem);
  }
  const body = {
    time: Math.floor(c.from),
    timeEnd: Math.ceil(c.to),
    tags: correctionTags(c.kind, c.sloIds),
    text: c.reason.trim(),
  };
  const r = await call<{ id?: number }>(srv, 'add', { url: '/api/annotations', method: 'POST', data: body });
  return r?.id ?? NaN;
}

/** DELETE /api/annotations/:id for a correction read from an annotation ("a:42"); recurring ones live in the spec. */
export async function deleteCorrection(c: Pick<Correction, 'id' | 'recurring'>, srv: BackendSrvLike = backendSrv()) {
  const m = /^a:(\d+)$/.exec(c.id);
  if (c.recurring || !m) {
    throw new AnnotationsError(
      'A recurring window is part of the SLO spec: remove it there (provisioning/slo/slos.yaml).'
    );
  }
  await call<unknown>(srv, 'delete', { url: `/api/annotations/${m[1]}`, method: 'DELETE' });
}

/**
 * Whether the signed-in user may write corrections: Grafana's `annotations:create` permission when the boot data
 * carries permissions (RBAC), else an Editor or Admin role (what Grafana grants annotations:write to). The UI
 * hides the actions otherwise; the API still decides (a 403 reads "only editors can add corrections").
 */
export function canWriteCorrections(user = config.bootData?.user): boolean {
  if (!user) {
    return false;
  }
  const perms = user.permissions ?? {};
  if (Object.keys(perms).length) {
    return perms['annotations:create'] === true;
  }
  return user.isGrafanaAdmin || user.orgRole === 'Editor' || user.orgRole === 'Admin';
}
