import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startProcess } from './http.js';
import type { BenchRow } from './table.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Time for a bare PGlite to create a new data directory (its initdb), the floor under a first start. */
async function bareInitdbMs(): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingang-bench-initdb-'));
  const started = performance.now();
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create({ dataDir: path.join(dir, 'pgdata') });
  const ms = performance.now() - started;
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return ms;
}

/**
 * Item 6: `npm start` on a new, empty DATA_DIR (the embedded database) until /healthz answers, then a
 * second start on the same directory; beside a bare PGlite initdb measured now.
 */
export async function runColdStartBench(log: (line: string) => void): Promise<BenchRow[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingang-bench-start-'));
  const env = { DATA_DIR: dataDir, PORT: '3971', LOG_LEVEL: 'warn', DATABASE_URL: '' };
  try {
    log('cold npm start on a new data directory');
    const first = await startProcess('npm', ['start', '--silent'], env, 'http://127.0.0.1:3971/healthz');
    await first.stop();
    log('second npm start on the same data directory');
    const second = await startProcess('npm', ['start', '--silent'], env, 'http://127.0.0.1:3971/healthz');
    await second.stop();
    const initdb = await bareInitdbMs();
    const reference = `bare PGlite initdb: ${(initdb / 1000).toFixed(1)} s`;
    return [
      { item: '6a', name: 'Cold npm start to ready (new DATA_DIR: initdb, migrations, reference data, demo seed)', value: +(first.readyMs / 1000).toFixed(1), unit: 's',
        reference, ratio: first.readyMs / initdb, goal: '≤ 10 s', pass: first.readyMs <= 10_000, database: 'PGlite' },
      { item: '6b', name: 'Second npm start (existing DATA_DIR)', value: +(second.readyMs / 1000).toFixed(1), unit: 's',
        reference: `first start: ${(first.readyMs / 1000).toFixed(1)} s`, ratio: second.readyMs / first.readyMs, goal: 'faster than the first', pass: second.readyMs < first.readyMs, database: 'PGlite' },
    ];
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
