/** Wire shapes of the Prometheus HTTP API (prometheus.io/docs/prometheus/latest/querying/api/). */

export type PromLabels = Record<string, string>;

export interface PromSample {
  metric: PromLabels;
  /** [unix seconds, "value"] */
  value: [number, string];
}

export interface PromSeries {
  metric: PromLabels;
  values: Array<[number, string]>;
}

export interface PromVectorData {
  resultType: 'vector';
  result: PromSample[];
}

export interface PromMatrixData {
  resultType: 'matrix';
  result: PromSeries[];
}

export interface PromScalarData {
  resultType: 'scalar';
  result: [number, string];
}

export type PromQueryData = PromVectorData | PromMatrixData | PromScalarData;

export interface PromActiveAlert {
  labels: PromLabels;
  annotations?: PromLabels;
  state: 'pending' | 'firing' | 'inactive';
  activeAt?: string;
  value?: string;
}

export interface PromRecordingRule {
  type: 'recording';
  name: string;
  query: string;
  labels?: PromLabels;
  health?: string;
  lastError?: string;
}

export interface PromAlertingRule {
  type: 'alerting';
  name: string;
  query: string;
  /** `for:` in seconds */
  duration?: number;
  labels?: PromLabels;
  annotations?: PromLabels;
  alerts?: PromActiveAlert[];
  state?: 'inactive' | 'pending' | 'firing';
  health?: string;
  lastError?: string;
}

export type PromRule = PromRecordingRule | PromAlertingRule;

export interface PromRuleGroup {
  name: string;
  file?: string;
  rules: PromRule[];
  interval?: number;
}

export interface PromRulesData {
  groups: PromRuleGroup[];
}

/** The envelope every Prometheus API answer comes in. */
export interface PromResponse<T> {
  status: 'success' | 'error';
  data?: T;
  errorType?: string;
  error?: string;
  warnings?: string[];
}

export interface PromBuildInfo {
  version: string;
  revision?: string;
  branch?: string;
  goVersion?: string;
}
