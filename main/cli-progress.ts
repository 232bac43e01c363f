// Progress on stderr, only for work that takes over half a second, so quick commands stay quiet
// and stdout stays clean for JSON; long work shows its first line within a second of starting
// (issue 18: a huge file used to give no sign of life for over a minute).
export interface ProgressLine {
  /**
   * `etaSeconds` as the work estimates it (the reader's rate), null for none; left out, the line
   * estimates it from its own updates (pages done so far against the time they took).
   */
  update(label: string, done: number, total: number, unit: string, etaSeconds?: number | null): void;
  done(): void;
}

export function progressLine(stream: NodeJS.WriteStream = process.stderr, delayMs = 500): ProgressLine {
  const started = Date.now();
  let lastPrint = 0;
  let printed = false;
  const tty = stream.isTTY === true;
  // From the line's creation, which callers make as the work starts.
  const estimate = (now: number, done: number, total: number): number | null =>
    done > 0 && now > started ? ((total - done) * (now - started)) / done / 1000 : null;
  return {
    update(label, done, total, unit, given) {
      const now = Date.now();
      const etaSeconds = given === undefined ? estimate(now, done, total) : given;
      if (now - started < delayMs) return;
      if (now - lastPrint < (tty ? 200 : 2000) && done < total) return;
      lastPrint = now;
      const pct = total > 0 ? Math.floor((100 * done) / total) : 0;
      const eta = etaSeconds != null && Number.isFinite(etaSeconds) && done < total ? `, about ${Math.ceil(etaSeconds)} s left` : '';
      const line = `${label}: ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ${unit} (${pct}%)${eta}`;
      stream.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
      printed = true;
    },
    done() {
      if (printed && tty) stream.write('\n');
    },
  };
}
