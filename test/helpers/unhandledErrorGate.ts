// A vitest reporter that fails the run on unhandled errors, except vitest's own worker RPC deadline
// ("[vitest-worker]: Timeout calling "onTaskUpdate"", fixed at 60 s), which a machine that freezes a
// worker for a minute raises while the results still arrive. A deadline that loses something (a
// module fetch, a transform) fails the test that needed it, so no failure hides behind this.
// vitest.config.ts turns vitest's own check off.
import type { Reporter, TestModule } from 'vitest/node';

export const HARNESS_DEADLINE = /^\[vitest-worker\]: Timeout calling "/;

/** The unhandled errors that must fail a run: all but the harness's RPC deadline. */
export function errorsThatFail(errors: ReadonlyArray<unknown>): unknown[] {
  return errors.filter((e) => !HARNESS_DEADLINE.test(String((e as { message?: unknown })?.message ?? e)));
}

export default class UnhandledErrorGate implements Reporter {
  onTestRunEnd(_modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<unknown>): void {
    const failing = errorsThatFail(errors);
    const ignored = errors.length - failing.length;
    if (ignored)
      process.stderr.write(`unhandled-error gate: ${ignored} vitest RPC deadline(s) on a frozen worker, not counted\n`);
    if (failing.length) process.exitCode = 1;
  }
}
