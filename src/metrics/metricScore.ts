// A corpus or sentence score as kd score reports it: the metric's name, its value, its signature
// (sacreBLEU's layout) and the metric's own statistics.
export interface MetricScore {
  name: string;
  score: number;
  signature: string;
  [extra: string]: unknown;
}
