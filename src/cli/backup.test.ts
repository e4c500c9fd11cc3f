import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingang-backup-'));
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function cli(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { env, encoding: 'utf8', timeout: 180_000 });
}

test('backup and restore of the embedded database bring back exactly what was backed up', { skip: !!process.env.INGANG_TEST_PG_URL && 'embedded database only' }, () => {
  const first = cli(['api-key', 'create', '--name', 'before backup']);
  assert.equal(first.status, 0, first.stderr);
  const file = path.join(dataDir, 'b.tar.gz');
  const backup = cli(['backup', '--out', file]);
  assert.equal(backup.status, 0, backup.stderr);
  assert.ok(fs.statSync(file).size > 0);
  assert.equal(cli(['api-key', 'create', '--name', 'after backup']).status, 0);
  const restore = cli(['restore', file]);
  assert.equal(restore.status, 0, restore.stderr);
  assert.match(restore.stdout, /previous database is kept in/);
  const list = cli(['api-key', 'list']);
  assert.match(list.stdout, /before backup/);
  assert.doesNotMatch(list.stdout, /after backup/);
  const missing = cli(['restore', path.join(dataDir, 'nope.tar.gz')]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /No such file/);
});
