// The reporter that replaces vitest's unhandled-error check counts every error but the harness's RPC deadline.
import { describe, expect, it } from 'vitest';
import { errorsThatFail } from './helpers/unhandledErrorGate.js';

describe('unhandled-error gate', () => {
  it('fails on any unhandled error except vitest\'s onTaskUpdate deadline', () => {
    const deadline = { message: '[vitest-worker]: Timeout calling "onTaskUpdate"' };
    const other = [{ message: 'boom' }, { message: '[vitest-worker]: Timeout calling "fetch" with "x"' }, 'a thrown string'];
    expect(errorsThatFail([deadline])).toEqual([]);
    expect(errorsThatFail([deadline, ...other])).toEqual(other);
  });
});
