// The reporter that replaces vitest's unhandled-error check counts every error but the harness's RPC deadline.
import { describe, expect, it } from 'vitest';

import { errorsThatFail } from './helpers/unhandledErrorGate.js';

describe('unhandled-error gate', () => {
  it("fails on any unhandled error except vitest's worker RPC deadlines", () => {
    const deadlines = [
      { message: '[vitest-worker]: Timeout calling "onTaskUpdate"' },
      { message: '[vitest-worker]: Timeout calling "fetch" with "x"' },
    ];
    const other = [{ message: 'boom' }, { message: 'Timeout calling "onTaskUpdate"' }, 'a thrown string'];
    expect(errorsThatFail(deadlines)).toEqual([]);
    expect(errorsThatFail([...deadlines, ...other])).toEqual(other);
  });
});
