/**
 * A small progress bar on stderr, so stdout keeps only the summary. On a terminal it redraws one
 * line; elsewhere (CI logs, pipes) it prints a line per phase at 0 %, 50 % and 100 % at most.
 */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): (label: string, done: number, total: number) => void {
  let lastLabel = '';
  let lastShown = -1;
  return (label, done, total) => {
    const fraction = total === 0 ? 1 : Math.min(1, done / total);
    if (stream.isTTY) {
      const width = 30;
      const filled = Math.round(fraction * width);
      stream.write(`\r${label.padEnd(10)} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${done}/${total}`);
      if (fraction === 1) stream.write('\n');
      return;
    }
    const step = fraction === 1 ? 2 : fraction >= 0.5 ? 1 : 0;
    if (label === lastLabel && step <= lastShown) return;
    lastLabel = label;
    lastShown = step;
    stream.write(`${label}: ${Math.round(fraction * 100)}% (${done}/${total})\n`);
  };
}
