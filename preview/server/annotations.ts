// Grafana's annotations HTTP API as far as the app uses it (budget corrections are region annotations: DESIGN.md,
// "Grafana's own stores first"): GET /api/annotations (from, to, tags, type=annotation, limit), POST, PATCH and
// DELETE /api/annotations/:id, with Grafana's request and response shapes. Kept in one JSON file under the preview
// host's state dir, so corrections outlive a restart. Author and times are the host's, never the client's; only
// Editors and Admins write (Grafana's annotations:write for a Viewer is denied with 403).
import fs from 'node:fs';
import path from 'node:path';
import { HttpError } from './guards';

export type OrgRole = 'Viewer' | 'Editor' | 'Admin';

export interface PreviewUser {
  id: number;
  login: string;
  email: string;
  role: OrgRole;
}

/** A stored annotation, in the shape GET /api/annotations returns (fields the host keeps). */
export interface Annotation {
  id: number;
  alertId: 0;
  dashboardUID: string;
  panelId: number;
  userId: number;
  login: string;
  email: string;
  time: number;
  timeEnd: number;
  text: string;
  tags: string[];
  created: number;
  updated: number;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function tagsOf(v: unknown): string[] {
  if (v === undefined) {
    return [];
  }
  if (!Array.isArray(v) || !v.every((t) => typeof t === 'string')) {
    throw new HttpError(400, 'bad request data: tags must be an array of strings');
  }
  return [...new Set(v.map((t: string) => t.trim()).filter(Boolean))];
}

export class AnnotationStore {
  private items: Annotation[] = [];
  private nextId = 1;

  constructor(
    private readonly file: string,
    private readonly now: () => number = Date.now
  ) {
    if (fs.existsSync(file)) {
      const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { nextId: number; items: Annotation[] };
      this.items = saved.items;
      this.nextId = saved.nextId;
    }
  }

  private save() {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    // Written whole then renamed: a crash mid-write never leaves half a file.
    fs.writeFileSync(`${this.file}.tmp`, JSON.stringify({ nextId: this.nextId, items: this.items }, null, 2));
    fs.renameSync(`${this.file}.tmp`, this.file);
  }

  /** GET /api/annotations: overlapping [from, to], carrying every tag asked (Grafana's matchAny=false), newest first. */
  list(q: URLSearchParams): Annotation[] {
    const from = q.has('from') ? Number(q.get('from')) : -Infinity;
    const to = q.has('to') ? Number(q.get('to')) : Infinity;
    const tags = q.getAll('tags').filter(Boolean);
    const matchAny = q.get('matchAny') === 'true';
    const limit = q.has('limit') ? Number(q.get('limit')) : 100;
    const type = q.get('type');
    if (type === 'alert') {
      return []; // the host stores no alert annotations
    }
    return this.items
      .filter((a) => a.timeEnd >= from && a.time <= to)
      .filter(
        (a) => !tags.length || (matchAny ? tags.some((t) => a.tags.includes(t)) : tags.every((t) => a.tags.includes(t)))
      )
      .sort((a, b) => b.time - a.time)
      .slice(0, limit > 0 ? limit : 100);
  }

  private canWrite(user: PreviewUser) {
    if (user.role === 'Viewer') {
      throw new HttpError(403, 'You are not allowed to write annotations (a Viewer); ask an Editor');
    }
  }

  /** POST /api/annotations → { message, id }. */
  create(body: Record<string, unknown>, user: PreviewUser): { message: string; id: number } {
    this.canWrite(user);
    const time = isNum(body.time) ? body.time : this.now();
    const timeEnd = body.timeEnd === undefined ? time : body.timeEnd;
    if (!isNum(timeEnd) || timeEnd < time) {
      throw new HttpError(400, 'bad request data: timeEnd must be a number not before time');
    }
    if (body.text !== undefined && typeof body.text !== 'string') {
      throw new HttpError(400, 'bad request data: text must be a string');
    }
    const t = this.now();
    const a: Annotation = {
      id: this.nextId++,
      alertId: 0,
      dashboardUID: typeof body.dashboardUID === 'string' ? body.dashboardUID : '',
      panelId: isNum(body.panelId) ? body.panelId : 0,
      userId: user.id,
      login: user.login,
      email: user.email,
      time,
      timeEnd,
      text: (body.text as string | undefined) ?? '',
      tags: tagsOf(body.tags),
      created: t,
      updated: t,
    };
    this.items.push(a);
    this.save();
    return { message: 'Annotation added', id: a.id };
  }

  private find(id: number): Annotation {
    const a = this.items.find((x) => x.id === id);
    if (!a) {
      throw new HttpError(404, 'Could not find annotation to update');
    }
    return a;
  }

  /** PATCH /api/annotations/:id: only the fields given change. */
  patch(id: number, body: Record<string, unknown>, user: PreviewUser): { message: string } {
    this.canWrite(user);
    const a = this.find(id);
    const time = body.time === undefined ? a.time : body.time;
    const timeEnd = body.timeEnd === undefined ? a.timeEnd : body.timeEnd;
    if (!isNum(time) || !isNum(timeEnd) || timeEnd < time) {
      throw new HttpError(400, 'bad request data: timeEnd must be a number not before time');
    }
    if (body.text !== undefined && typeof body.text !== 'string') {
      throw new HttpError(400, 'bad request data: text must be a string');
    }
    Object.assign(a, {
      time,
      timeEnd,
      text: body.text ?? a.text,
      tags: body.tags === undefined ? a.tags : tagsOf(body.tags),
      updated: this.now(),
    });
    this.save();
    return { message: 'Annotation patched' };
  }

  /** DELETE /api/annotations/:id. */
  remove(id: number, user: PreviewUser): { message: string } {
    this.canWrite(user);
    this.find(id);
    this.items = this.items.filter((x) => x.id !== id);
    this.save();
    return { message: 'Annotation deleted' };
  }
}

/** The signed-in preview user: admin, with the role PREVIEW_ROLE names (Viewer, Editor, Admin) to try the others. */
export function previewUser(role = process.env.PREVIEW_ROLE): PreviewUser {
  const r: OrgRole = role === 'Viewer' || role === 'Editor' ? role : 'Admin';
  return { id: 1, login: 'admin', email: 'admin@localhost', role: r };
}
