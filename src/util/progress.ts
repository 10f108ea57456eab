// Progress of long work on stderr: a bar with rate and ETA, redrawn in place on a terminal and
// printed as a plain line every 15 s otherwise (CI logs). Also tracks the peak resident memory.
export class Progress {
  private readonly start = performance.now();
  private lastPrint = 0;
  private done: number;
  private drawn = false;
  peakRssMb = 0;

  /** `from`: where a resumed run starts (the rate counts only this run's work) */
  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly unit = 'it',
    from = 0,
  ) {
    this.done = from;
    this.startDone = from;
  }

  private readonly startDone: number;
  private budget = Infinity;

  /** A time budget (seconds from now) that may end the work before `total`: the bar and ETA follow whichever ends first. */
  setBudget(seconds: number): void {
    this.budget = seconds;
  }

  /** A log line on a line of its own (the bar, if drawn, is cleared first and redrawn by the next tick). */
  log(message: string, log: (m: string) => void): void {
    if (this.drawn && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    this.drawn = false;
    this.lastPrint = 0;
    log(message);
  }

  /** Ends the bar's line. */
  finish(): void {
    if (this.drawn && process.stderr.isTTY) process.stderr.write('\n');
    this.drawn = false;
  }

  /** Advances by n items; `extra` is shown after the rate (for example "loss 3.21"). */
  tick(n = 1, extra = '', units = n): void {
    if (n === 0 && units === 0) return;
    this.done += n;
    this.units += units;
    this.peakRssMb = Math.max(this.peakRssMb, process.memoryUsage().rss / 2 ** 20);
    const now = performance.now();
    const tty = process.stderr.isTTY;
    if (now - this.lastPrint < (tty ? 500 : 15000) && this.done < this.total) return;
    this.lastPrint = now;
    const secs = (now - this.start) / 1000;
    const byClock = Number.isFinite(this.budget) ? Math.min(1, secs / this.budget) : 0;
    const frac = Math.max(byClock, this.total > 0 ? Math.min(1, this.done / this.total) : 0);
    const runFrac = this.total > this.startDone ? (this.done - this.startDone) / (this.total - this.startDone) : 0;
    const eta = Math.min(runFrac > 0 ? (secs / runFrac) * (1 - runFrac) : Infinity, Math.max(0, this.budget - secs));
    const bar = '#'.repeat(Math.round(frac * 20)).padEnd(20, '.');
    const line = `${this.label} [${bar}] ${this.done}/${this.total} ${(this.units / Math.max(secs, 1e-9)).toFixed(1)} ${this.unit}/s ${extra} ETA ${formatSeconds(eta)}`;
    process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
    this.drawn = tty;
    if (tty && this.done >= this.total) this.finish();
  }

  private units = 0;

  get seconds(): number {
    return (performance.now() - this.start) / 1000;
  }

  get rate(): number {
    return this.units / Math.max(this.seconds, 1e-9);
  }
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${s.toFixed(0)}s`;
}
