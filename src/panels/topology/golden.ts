// Test support: the Go side's golden frames (pkg/plugin/testdata, written by `go test ./pkg/plugin -run Golden
// -update`) exactly as the backend answers them. They are the contract between pkg/pgha and the app: tests of code
// that reads veza-pgha-datasource frames use these and nothing hand-built. A missing file throws (never skips).
// Never imported by plugin code.
import fs from 'fs';
import path from 'path';
import { DataFrame, dataFrameFromJSON, type DataFrameJSON } from '@grafana/data';

export const GOLDEN_DIR = path.resolve(__dirname, '../../../pkg/plugin/testdata');

export function goldenFrames(name: string): DataFrameJSON[] {
  const file = path.join(GOLDEN_DIR, `${name}.golden.jsonc`);
  if (!fs.existsSync(file)) {
    throw new Error(`Go golden file ${file} is missing: run go test ./pkg/plugin -run Golden -update`);
  }
  const json = JSON.parse(
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => !l.startsWith('//'))
      .join('\n')
  ) as { frames: DataFrameJSON[] };
  return json.frames;
}

export const golden = (name: string): DataFrame[] => goldenFrames(name).map((f) => dataFrameFromJSON(f));

/** The golden scenarios, by the name pkg/plugin/frames_test.go gives them, with the verdict each must carry. */
export const SCENARIOS = {
  healthy: 'healthy',
  failover: 'failover in progress',
  primary_lost: 'failover in progress',
  degraded: 'degraded',
  wedged: 'wedged',
  routing_stale: 'routing stale',
  monitor_down: 'monitor unreachable',
} as const;

export type Scenario = keyof typeof SCENARIOS;

/** What the panel receives for one scenario: the topology, status and events queries' frames. */
export const scenario = (name: Scenario): DataFrame[] => [
  ...golden(`topology_${name}`),
  ...golden(`status_${name}`),
  ...golden('events'),
];

/** A frame with another frame's rows appended, as a live stream delivers successive snapshots. */
export function appended(a: DataFrame, b: DataFrame): DataFrame {
  return {
    ...a,
    length: a.length + b.length,
    fields: a.fields.map((f) => ({
      ...f,
      values: [...f.values, ...(b.fields.find((g) => g.name === f.name)?.values ?? [])],
    })),
  };
}
