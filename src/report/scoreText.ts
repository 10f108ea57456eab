// sacreBLEU's text layout of a score line: "BLEU|nrefs:1|...|version:kd-0.1.0 = 48.53 82.4/50.0/... (BP = ...)".
import type { MetricScore } from '../metrics/metricScore.js';

export function formatScoreText(scores: MetricScore[], width: number, withSignature: boolean): string[] {
  return scores.map((s) => {
    const head = withSignature ? `${s.name}|${s.signature}` : s.name;
    let line = `${head} = ${s.score.toFixed(width)}`;
    if (s.name === 'BLEU') {
      const p = (s.precisions as number[]).map((x) => x.toFixed(1)).join('/');
      const sys = s.sys_len as number;
      const ref = s.ref_len as number;
      const ratio = ref ? sys / ref : 0;
      line += ` ${p} (BP = ${(s.bp as number).toFixed(3)} ratio = ${ratio.toFixed(3)} hyp_len = ${sys} ref_len = ${ref})`;
    }
    return line;
  });
}
