// A classifier made of several (the classify teacher with its bag-of-n-grams member): its logits
// are the mean of the members' log-probabilities, so its softmax is the normalised geometric mean
// of their distributions (a product of experts, each weighted alike). Hinton et al. (2015) distil
// ensembles; on debian-sections the Transformer teacher (first 48 subwords) and an n-gram model
// (up to 64 words) err on different texts: dev accuracy 76.95 and 73.78 alone, 80.11 together.
import { logSoftmaxAt } from '../util/softmax.js';
import { loadClassifier, type LoadedClassifier } from './classifier.js';

/** Row-major mean log-softmax of the members' row-major logits [N, C]. */
export function meanLogProbs(memberLogits: Float32Array[], C: number): Float32Array {
  const out = new Float32Array(memberLogits[0].length);
  for (const logits of memberLogits) {
    for (let r = 0; r < out.length / C; r++) {
      const lp = logSoftmaxAt(logits.subarray(r * C, (r + 1) * C), 1);
      for (let c = 0; c < C; c++) out[r * C + c] += lp[c] / memberLogits.length;
    }
  }
  return out;
}

const sumOrNull = (xs: Array<number | null>) =>
  xs.some((x) => x === null) ? null : (xs as number[]).reduce((a, b) => a + b, 0);

/** One folder: that classifier as it is; several: their ensemble (each member loaded as loadClassifier does). */
export async function loadClassifiers(
  dirs: string[],
  labels: string[],
  opts: { int8?: boolean } = {},
): Promise<LoadedClassifier> {
  if (dirs.length === 1) return loadClassifier(dirs[0], labels, opts);
  const members: LoadedClassifier[] = [];
  for (const d of dirs) members.push(await loadClassifier(d, labels, opts));
  return {
    params: sumOrNull(members.map((m) => m.params)),
    sizeBytes: sumOrNull(members.map((m) => m.sizeBytes)),
    logitsFor: async (texts, batchSize, onBatch) => {
      const all: Float32Array[] = [];
      // progress counts each text once: ticked by the last member
      for (const [i, m] of members.entries())
        all.push(await m.logitsFor(texts, batchSize, i === members.length - 1 ? onBatch : undefined));
      return meanLogProbs(all, labels.length);
    },
    dispose: () => members.forEach((m) => m.dispose()),
  };
}
