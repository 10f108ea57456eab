// Progress of long work on stderr: a bar with rate and ETA, redrawn in place on a terminal and
// printed as a plain line every 15 s otherwise (CI logs). Also tracks the peak resident memory.
export class Progress {
  private readonly start = performance.now();
  private lastPrint = 0;
  private done = 0;
  peakRssMb = 0;

  constructor(private readonly label: string, private readonly total: number, private readonly unit = 'it') {}

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
    const frac = this.total > 0 ? Math.min(1, this.done / this.total) : 0;
    const eta = frac > 0 ? (secs / frac) * (1 - frac) : 0;
    const bar = '#'.repeat(Math.round(frac * 20)).padEnd(20, '.');
    const line = `${this.label} [${bar}] ${this.done}/${this.total} ${(this.units / Math.max(secs, 1e-9)).toFixed(1)} ${this.unit}/s ${extra} ETA ${formatSeconds(eta)}`;
    process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
    if (tty && this.done >= this.total) process.stderr.write('\n');
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
