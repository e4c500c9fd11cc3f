import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../db/connection.js';
import { wgs84ToSweref } from '../geo/sweref.js';

// Runs the real command on its own embedded data directory (PGlite only: it is about the CLI, not SQL).
const skip = !!process.env.INGANG_TEST_PG_URL && 'uses the embedded database directory';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingang-assets-cli-'));
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function cli(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { env, encoding: 'utf8', timeout: 180_000 });
}

test('assets import: bad rows are listed by line and nothing is stored; a good SWEREF file is imported with a summary', { skip }, async () => {
  const bad = path.join(dataDir, 'bad.csv');
  fs.writeFileSync(bad, 'stolpe,N,E\nHBG-1,6215000,361000\n,6215000,361000\nHBG-3,abc,361000\n');
  const refused = cli(['assets', 'import', bad, '--organisation', '1283', '--type', 'street_light', '--crs', 'EPSG:3006', '--map', 'code=stolpe']);
  assert.equal(refused.status, 1, refused.stderr);
  assert.match(refused.stderr, /Nothing was imported: 2 problem\(s\)/);
  assert.match(refused.stderr, /line 3, code: code is missing/);
  assert.match(refused.stderr, /line 4, coordinates: coordinates are missing or not numbers/);

  const points = [[56.0440, 12.6939], [56.0451, 12.6930], [56.0462, 12.6921]].map(([lat, lon]) => wgs84ToSweref(lat, lon));
  const good = path.join(dataDir, 'good.csv');
  fs.writeFileSync(good, ['stolpe,N,E,typ', ...points.map((p, i) => `HBG-${i + 1},${p.northing.toFixed(2)},${p.easting.toFixed(2)},street_light`)].join('\n'));
  const imported = cli(['assets', 'import', good, '--organisation', 'kommun-1283', '--crs', 'EPSG:3006', '--map', 'code=stolpe,type=typ', '--responsible', 'kommun-1283']);
  assert.equal(imported.status, 0, imported.stderr);
  assert.match(imported.stdout, /Imported 3 assets for .* \(EPSG:3006\): 3 new, 0 updated, 0 unchanged\./);
  assert.match(imported.stderr, /Writing: 100% \(3\/3\)/, 'progress goes to stderr');
  const again = cli(['assets', 'import', good, '--organisation', 'kommun-1283', '--crs', 'EPSG:3006', '--map', 'code=stolpe,type=typ']);
  assert.match(again.stdout, /0 new, 0 updated, 3 unchanged/);

  const usage = cli(['assets', 'import', good]);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /--organisation/);

  const handle = await openDatabase({ dataDir });
  try {
    const rows = await handle.db.selectFrom('assets').select(['code', 'lat', 'lon']).orderBy('code').execute();
    assert.deepEqual(rows.map((r) => r.code), ['HBG-1', 'HBG-2', 'HBG-3'], 'the refused file stored nothing');
    assert.ok(Math.abs(rows[0].lat - 56.044) < 1e-6 && Math.abs(rows[0].lon - 12.6939) < 1e-6);
  } finally {
    await handle.close();
  }
});
