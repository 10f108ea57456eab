// The report's stage-time note: the pipeline's cost as each stage recorded it when it ran, so a
// report re-written from cached or kept stages still says what the pipeline cost.
import { describe, expect, it } from 'vitest';

import { stageTimesNote } from '../src/pipeline/runner.js';

describe('stage time note', () => {
  it('sums each kind of stage and the whole, in minutes', () => {
    const note = stageTimesNote([
      { stage: 'prepare', seconds: 30 },
      { stage: 'teacher', seconds: 1800 },
      { stage: 'student-baseline', seconds: 600 },
      { stage: 'student-seqkd', seconds: 606 },
      { stage: 'eval-teacher', seconds: 60 },
    ]);
    expect(note).toBe(
      "Stage time: 51.6 min in all, each stage's own as recorded when it ran (prepare 0.5, teacher 30.0, student 20.1, eval 1.0).",
    );
  });

  it('says how many stages recorded no time instead of counting them as none', () => {
    expect(stageTimesNote([{ stage: 'teacher', seconds: null }])).toBe(
      "Stage time: 0.0 min in all, each stage's own as recorded when it ran (none); 1 stage(s) recorded no time.",
    );
  });
});
