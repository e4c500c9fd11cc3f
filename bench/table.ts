/** One line of the bench table: a figure beside its reference measured in the same run, and its goal. */
export interface BenchRow {
  item: string;
  name: string;
  value: number;
  unit: string;
  detail?: string;
  reference: string;
  /** value / reference where both are numbers of the same kind. */
  ratio?: number;
  goal: string;
  /** Whether the goal holds; undefined when the figure has no goal of its own. */
  pass?: boolean;
  database?: string;
}

/** Renders the rows as a plain-text table. */
export function renderTable(rows: BenchRow[]): string {
  const cells = rows.map((r) => [
    r.item,
    r.name,
    `${r.value} ${r.unit}${r.detail ? ` (${r.detail})` : ''}`,
    r.reference + (r.ratio !== undefined ? ` [×${r.ratio.toFixed(2)}]` : ''),
    r.goal,
    r.pass === undefined ? '' : r.pass ? 'OK' : 'MISSED',
    r.database ?? '',
  ]);
  const head = ['#', 'figure', 'value', 'reference (same run)', 'goal', '', 'database'];
  const widths = head.map((h, i) => Math.min(70, Math.max(h.length, ...cells.map((c) => c[i].length))));
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i])).join(' │ ');
  return [line(head), widths.map((w) => '─'.repeat(w)).join('─┼─'), ...cells.map(line)].join('\n');
}
