// Long loops of tfjs work await only promises that resolve as microtasks, so timers, signals and
// messages (a test runner's RPC, Ctrl-C) would wait until the loop ends. Awaiting this once per
// step gives the event loop its turn.
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
