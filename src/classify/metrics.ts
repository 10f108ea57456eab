// Classification metrics, pure functions over predictions.
//   accuracy; macro-F1 (the unweighted mean of per-class F1; a class never predicted nor present
//   is left out, as scikit-learn does with labels taken from the data); agreement (how often two
//   models predict the same class); expected calibration error (Guo et al. 2017): confidences in
//   `bins` equal-width bins, the |accuracy - mean confidence| of each bin weighted by its share.

export function accuracy(pred: number[], gold: number[]): number {
  return agreement(pred, gold);
}

export function agreement(a: number[], b: number[]): number {
  if (a.length !== b.length) throw new Error(`agreement: ${a.length} against ${b.length} predictions`);
  return a.length ? a.filter((x, i) => x === b[i]).length / a.length : 0;
}

export function macroF1(pred: number[], gold: number[]): number {
  const classes = new Set([...pred, ...gold]);
  let sum = 0;
  for (const c of classes) {
    let tp = 0,
      fp = 0,
      fn = 0;
    pred.forEach((p, i) => {
      if (p === c && gold[i] === c) tp++;
      else if (p === c) fp++;
      else if (gold[i] === c) fn++;
    });
    sum += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return classes.size ? sum / classes.size : 0;
}

/** One confidence bin's sufficient statistics: bins of several batches add up, like BLEU's counts. */
export interface CalibrationBin {
  lo: number;
  hi: number;
  count: number;
  confidenceSum: number;
  correct: number;
}

/** The reliability diagram's data: `bins` equal-width (lo, hi] confidence bins, e.g. 15 as Guo et al. */
export function calibrationBins(confidence: number[], correct: boolean[], bins = 15): CalibrationBin[] {
  const out = Array.from({ length: bins }, (_, b) => ({
    lo: b / bins,
    hi: (b + 1) / bins,
    count: 0,
    confidenceSum: 0,
    correct: 0,
  }));
  confidence.forEach((p, i) => {
    const bin = out[Math.min(bins - 1, Math.max(0, Math.ceil(p * bins) - 1))];
    bin.count++;
    bin.confidenceSum += p;
    bin.correct += correct[i] ? 1 : 0;
  });
  return out;
}

/** sum over bins of (count / n) * |accuracy - mean confidence|: 0 for one bin of 2 right at confidence 1 */
export function eceFromBins(bins: CalibrationBin[]): number {
  const n = bins.reduce((s, b) => s + b.count, 0);
  return bins.reduce(
    (e, b) => (b.count ? e + (b.count / n) * Math.abs(b.correct / b.count - b.confidenceSum / b.count) : e),
    0,
  );
}

export function expectedCalibrationError(confidence: number[], correct: boolean[], bins = 15): number {
  return eceFromBins(calibrationBins(confidence, correct, bins));
}

/** argmax and max of each row of probabilities. */
export function predictions(
  probs: Float32Array | number[],
  numClasses: number,
): { pred: number[]; confidence: number[] } {
  const pred: number[] = [],
    confidence: number[] = [];
  for (let r = 0; r * numClasses < probs.length; r++) {
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (probs[r * numClasses + c] > probs[r * numClasses + best]) best = c;
    pred.push(best);
    confidence.push(probs[r * numClasses + best]);
  }
  return { pred, confidence };
}
