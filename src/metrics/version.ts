// The version that signatures carry. Our metrics are tested against sacreBLEU 2.6.0 to 1e-6
// (test/metrics.sacrebleu-vectors.test.ts); the signature names our implementation, not theirs,
// so that a score is never passed off as sacreBLEU's own.
export const METRICS_VERSION = 'kd-0.1.0';
export const MATCHES_SACREBLEU = '2.6.0';

/** sacreBLEU's signature layout: "nrefs:1|case:mixed|...|version:kd-0.1.0" (version always last). */
export function formatSignature(nrefs: number | 'var', fields: Array<[string, string | number]>): string {
  const parts = [`nrefs:${nrefs}`, ...fields.map(([k, v]) => `${k}:${v}`), `version:${METRICS_VERSION}`];
  return parts.join('|');
}
