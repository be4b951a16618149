import { DataFrame, Field } from '@grafana/data';

// Small helpers to read the backend's frames by field name. Names are compared after normalising
// (lower case, `detail__`/`arc__` prefix and punctuation dropped), so `detail__reported_state`,
// `reportedState` and `reported_state` are the same column: the Node Graph shape prefixes detail
// columns, the status and events frames do not.

export function normalise(name: string): string {
  return name
    .toLowerCase()
    .replace(/^(detail|arc)__/, '')
    .replace(/[^a-z0-9]/g, '');
}

export function findField(frame: DataFrame, names: string[]): Field | undefined {
  const wanted = names.map(normalise);
  for (const w of wanted) {
    const f = frame.fields.find((field) => normalise(field.name) === w);
    if (f) {
      return f;
    }
  }
  return undefined;
}

export function hasFields(frame: DataFrame, ...names: string[]): boolean {
  return names.every((n) => findField(frame, [n]) !== undefined);
}

/** A row reader bound to one frame: each getter takes the candidate column names, best first. */
export class Row {
  constructor(
    private readonly frame: DataFrame,
    private readonly index: number
  ) {}

  raw(names: string[]): unknown {
    const f = findField(this.frame, names);
    return f ? f.values[this.index] : undefined;
  }

  str(names: string[]): string | undefined {
    const v = this.raw(names);
    if (v === undefined || v === null) {
      return undefined;
    }
    const s = String(v).trim();
    return s === '' ? undefined : s;
  }

  num(names: string[]): number | undefined {
    const v = this.raw(names);
    if (v === undefined || v === null || v === '') {
      return undefined;
    }
    const n = typeof v === 'number' ? v : Number(v);
    return Number.isFinite(n) ? n : undefined;
  }

  bool(names: string[]): boolean | undefined {
    const v = this.raw(names);
    if (typeof v === 'boolean') {
      return v;
    }
    if (typeof v === 'number') {
      return v !== 0;
    }
    if (typeof v === 'string') {
      const s = v.trim().toLowerCase();
      if (['true', 'yes', '1', 't'].includes(s)) {
        return true;
      }
      if (['false', 'no', '0', 'f'].includes(s)) {
        return false;
      }
    }
    return undefined;
  }

  /** Epoch milliseconds from a time field (number), a Date or an ISO string. */
  time(names: string[]): number | undefined {
    const v = this.raw(names);
    if (typeof v === 'number' && Number.isFinite(v)) {
      return v;
    }
    if (v instanceof Date) {
      return v.getTime();
    }
    if (typeof v === 'string' && v !== '') {
      const t = Date.parse(v);
      return Number.isNaN(t) ? undefined : t;
    }
    return undefined;
  }
}

export function rows(frame: DataFrame): Row[] {
  return Array.from({ length: frame.length }, (_, i) => new Row(frame, i));
}
