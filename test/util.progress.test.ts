// Progress that tells the truth (issue 16): a resumed run counts from its step and its rate from
// this run's work; a log line never shares the bar's line; every bar has a rate and an ETA; off a
// terminal, one plain line per interval; BPE training shows a bar. The clock is faked.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { Tokenizer } from '../src/tokenize/tokenizer.js';
import { Progress } from '../src/util/progress.js';

let out: string[];
let now: number;
const setTty = (tty: boolean) => Object.defineProperty(process.stderr, 'isTTY', { value: tty, configurable: true });

beforeEach(() => {
  out = [];
  now = 100_000;
  vi.spyOn(performance, 'now').mockImplementation(() => now);
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (out.push(String(s)), true));
});
afterEach(() => {
  vi.restoreAllMocks();
  setTty(false);
});

describe('Progress', () => {
  it("a resumed run starts at its step, with the rate of this run's work and an ETA from it", () => {
    setTty(false);
    const p = new Progress('train', 100, 'tok', 40);
    now += 20_000;
    p.tick(10, 'loss 3.000', 5000); // 10 steps, 5,000 tokens in 20 s
    expect(out).toEqual(['train [##########..........] 50/100 250.0 tok/s loss 3.000 ETA 1m40s\n']);
  });

  it('off a terminal: one line per 15 s, and the last one', () => {
    setTty(false);
    const p = new Progress('eval', 4, 'sent');
    now += 16_000;
    p.tick(1);
    now += 1_000;
    p.tick(1);
    p.tick(1);
    expect(out).toHaveLength(1);
    p.tick(1); // the end is always printed
    expect(out).toHaveLength(2);
    expect(out[1]).toMatch(/^eval \[#{20}\] 4\/4 0\.2 sent\/s +ETA 0s\n$/);
  });

  it('on a terminal: the bar is redrawn in place, and a log line clears it first and gets a line of its own', () => {
    setTty(true);
    const p = new Progress('train', 10, 'tok');
    now += 1_000;
    p.tick(1);
    const logged: string[] = [];
    p.log('step 1: dev BLEU 1.23', (m) => logged.push(`${out.length}:${m}`));
    // eslint-disable-next-line no-control-regex -- the bar ends with the terminal's erase-line escape
    expect(out[0]).toMatch(/^\rtrain \[##\.+\] 1\/10 .* ETA 9s\x1b\[K$/);
    expect(out[1]).toBe('\r\x1b[K'); // cleared before the log line is written
    expect(logged).toEqual(['2:step 1: dev BLEU 1.23']);
    now += 1_000;
    p.tick(1);
    expect(out[2]).toMatch(/^\rtrain \[####\.+\] 2\/10/); // drawn again below the log line
    p.finish();
    expect(out[3]).toBe('\n');
  });

  it('BPE training shows a bar of its merges', () => {
    setTty(false);
    now += 20_000;
    Tokenizer.train(['low lower lowest', 'new newer newest', 'wide wider widest'], { vocabSize: 300, progress: true });
    expect(out.join('')).toMatch(/^bpe \[[#.]{20}\] \d+\/\d+ [\d.]+ merges\/s +ETA \d+s\n$/m);
  });
});
