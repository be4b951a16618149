import { DataFrame } from '@grafana/data';

// Reads the backend's frames by exact field name (fields.ts). A missing field reads as undefined: the view then
// shows "unknown", never a value guessed from another column.

/** A row reader bound to one frame. */
export class Row {
  constructor(
    private readonly frame: DataFrame,
    private readonly index: number
  ) {}

  raw(name: string): unknown {
    return this.frame.fields.find((f) => f.name === name)?.values[this.index];
  }

  str(name: string): string | undefined {
    const v = this.raw(name);
    return typeof v === 'string' && v !== '' ? v : undefined;
  }

  num(name: string): number | undefined {
    const v = this.raw(name);
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  }

  bool(name: string): boolean | undefined {
    const v = this.raw(name);
    return typeof v === 'boolean' ? v : undefined;
  }

  /** Epoch milliseconds of a time field (Grafana hands time fields over as numbers). */
  time(name: string): number | undefined {
    return this.num(name);
  }
}

export function rows(frame: DataFrame): Row[] {
  return Array.from({ length: frame.length }, (_, i) => new Row(frame, i));
}

/**
 * The first frame the backend declared with this name: its name, or meta.custom.frame (pkg/plugin MetaFrame) for a
 * frame that came through Grafana Live, which rebuilds streamed frames without their name but keeps their meta.
 */
export function frameNamed(series: DataFrame[], name: string): DataFrame | undefined {
  return series.find((f) => (f.name || (f.meta?.custom as { frame?: string } | undefined)?.frame) === name);
}
