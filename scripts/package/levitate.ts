// Reads the report of `@grafana/levitate is-compatible`: its numbered incompatibilities and its verdict line.
export interface Incompatibility {
  /** e.g. "Changed `PanelPlugin.setPanelOptions`" or "Removed `Combobox`" */
  change: string;
  /** where the project uses it, relative to the repo: "src/pages/Report.tsx:6" */
  usedIn: string;
}

export interface LevitateReport {
  /** levitate printed its final verdict (compatible or not): a run that died early has none */
  finished: boolean;
  incompatibilities: Incompatibility[];
}

// Levitate colours its output when it thinks it is on a terminal.
const ANSI = new RegExp(String.fromCharCode(27) + '\\[[0-9;]*m', 'g');

export function parseLevitate(output: string, repo: string): LevitateReport {
  const text = output.replace(ANSI, '');
  const incompatibilities: Incompatibility[] = [];
  for (const m of text.matchAll(/^\d+\) ((?:Changed|Removed) `[^`]+`) used in `([^`]+)`/gm)) {
    incompatibilities.push({ change: m[1], usedIn: m[2].startsWith(repo + '/') ? m[2].slice(repo.length + 1) : m[2] });
  }
  const finished = /appears to be compatible with|is not fully compatible with/.test(text);
  return { finished, incompatibilities };
}
