// Item 5: statistics comparison over the bench data set (≤ 1 s for a comparison over 1 M cases).
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/types.js';
import { StatisticsService } from '../src/statistics/service.js';
import type { BenchRow } from './table.js';

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

async function medianOf(runs: number, fn: () => Promise<unknown>): Promise<{ median: number; max: number }> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await timed(fn)).ms);
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], max: times[times.length - 1] };
}

/**
 * Rebuilds the pre-aggregates from scratch (timed), then times the comparison of every municipality with
 * cases and the all-Sweden map against the same figures computed straight from the cases table with
 * percentile_cont, and an incremental refresh after 1 000 cases change.
 */
export async function runStatisticsBench(args: { db: Kysely<Database>; cases: number; quick?: boolean }): Promise<Partial<BenchRow>[]> {
  const { db } = args;
  const stats = new StatisticsService(db);
  await sql`insert into stats_dirty (municipality_code, month)
    select distinct municipality_code, date_trunc('month', requested_at at time zone 'Europe/Stockholm')::date from cases on conflict do nothing`.execute(db);
  const rebuild = await timed(() => stats.refresh());
  // A comparison as an analyst makes it: the ten municipalities with the most cases (a county's worth); and all of them.
  const codes = (await sql<{ code: string }>`select municipality_code as code from cases group by 1 order by count(*) desc limit 10`.execute(db)).rows.map((r) => r.code);
  const compare = await medianOf(5, () => stats.compare({ municipalities: codes }));
  const everyone = (await sql<{ code: string }>`select distinct municipality_code as code from cases`.execute(db)).rows.map((r) => r.code);
  const compareAll = await medianOf(3, () => stats.compare({ municipalities: everyone }));
  const map = await medianOf(3, () => stats.map({}, 'median_hours_to_close'));
  const direct = await medianOf(1, () => sql`
    select municipality_code, count(*), count(closed_at),
           percentile_cont(array[0.5, 0.9]) within group (order by extract(epoch from closed_at - requested_at)) filter (where closed_at is not null),
           count(*) filter (where closed_at <= sla_due_at), count(*) filter (where resolved_at_first_contact), count(*) filter (where reopen_count > 0)
    from cases where municipality_code = any(${codes}::text[]) group by 1`.execute(db));
  await sql`update cases set updated_at = updated_at where id in (select id from cases order by id desc limit 1000)`.execute(db);
  const incremental = await timed(() => stats.refresh());
  const n = args.cases.toLocaleString('en');
  return [
    { name: `Statistics: comparison of ${codes.length} municipalities over ${n} cases (pre-aggregated)`, value: Math.round(compare.median), unit: 'ms',
      detail: `max ${Math.round(compare.max)} ms`, reference: `straight from cases with percentile_cont: ${Math.round(direct.median)} ms`,
      ratio: compare.median / direct.median, goal: '≤ 1000 ms', pass: compare.max <= 1000 },
    { name: `Statistics: comparison of all ${everyone.length} municipalities with cases (every breakdown)`, value: Math.round(compareAll.median), unit: 'ms',
      reference: `max ${Math.round(compareAll.max)} ms`, goal: '—' },
    { name: 'Statistics: one figure for all 290 municipalities (map)', value: Math.round(map.median), unit: 'ms', reference: `max ${Math.round(map.max)} ms`, goal: '≤ 1000 ms', pass: map.max <= 1000 },
    { name: `Statistics: full rebuild of the pre-aggregates (${rebuild.value} municipality-months)`, value: +(rebuild.ms / 1000).toFixed(1), unit: 's', reference: '—', goal: '—' },
    { name: `Statistics: incremental refresh after 1 000 changed cases (${incremental.value} municipality-months)`, value: Math.round(incremental.ms), unit: 'ms', reference: '—', goal: '—' },
  ];
}
