// Test support: the Go side's golden frames (pkg/plugin/testdata, written by `go test -update`) as the backend
// answers them, for tests of code that reads veza-pgha-datasource frames. Never imported by plugin code.
import fs from 'fs';
import path from 'path';
import type { DataFrameJSON } from '@grafana/data';

export const GOLDEN_DIR = path.resolve(__dirname, '../../../pkg/plugin/testdata');

export const hasGolden = (name: string) => fs.existsSync(path.join(GOLDEN_DIR, `${name}.golden.jsonc`));

export function goldenFrames(name: string): DataFrameJSON[] {
  const text = fs.readFileSync(path.join(GOLDEN_DIR, `${name}.golden.jsonc`), 'utf8');
  const json = JSON.parse(
    text
      .split('\n')
      .filter((l) => !l.startsWith('//'))
      .join('\n')
  ) as { frames: DataFrameJSON[] };
  return json.frames;
}
