import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../db/connection.js';
import { findActiveApiKey } from '../apikeys/service.js';
import { acquireDataDirLock } from '../db/lock.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingang-cli-'));
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env };
  delete childEnv.DATABASE_URL;
  if (process.env.INGANG_TEST_PG_URL && !env.DATA_DIR_ONLY) childEnv.DATABASE_URL = process.env.INGANG_TEST_PG_URL;
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { env: childEnv, encoding: 'utf8', timeout: 120_000 });
}

test('unknown commands and flags: a clear message and exit code 2', () => {
  const unknown = cli(['frobnicate']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /Unknown command "frobnicate"/);
  const badFlag = cli(['migrate', '--colour']);
  assert.equal(badFlag.status, 2);
  assert.match(badFlag.stderr, /Unknown option '--colour'/);
  const help = cli(['api-key', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /api-key create --name <label>/);
  const missingName = cli(['api-key', 'create']);
  assert.equal(missingName.status, 2);
  assert.match(missingName.stderr, /--name/);
});

test('api-key create prints a working key as the last line of stdout; only its hash is stored', { skip: !!process.env.INGANG_TEST_PG_URL && 'uses the embedded database directory' }, async () => {
  const run = cli(['api-key', 'create', '--name', 'FixaMinGata test'], { DATA_DIR_ONLY: '1' });
  assert.equal(run.status, 0, run.stderr);
  const key = run.stdout.trim().split('\n').pop()!;
  assert.match(key, /^ing_[0-9a-f]{8}_[A-Za-z0-9_-]{32}$/);
  const handle = await openDatabase({ dataDir });
  try {
    const found = await findActiveApiKey(handle.db, key);
    assert.equal(found?.name, 'FixaMinGata test');
    const stored = await handle.db.selectFrom('api_keys').select('key_hash').execute();
    assert.ok(stored.every((r) => r.key_hash !== key && !r.key_hash.includes(key.slice(13))));
  } finally {
    await handle.close();
  }
});

test('a command refuses clearly while another process holds the embedded data directory', () => {
  const lockedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingang-locked-'));
  const release = acquireDataDirLock(lockedDir);
  try {
    const run = cli(['migrate'], { DATA_DIR: lockedDir, DATA_DIR_ONLY: '1' });
    assert.equal(run.status, 1);
    assert.match(run.stderr, new RegExp(`in use by process ${process.pid}`));
    assert.ok(!fs.existsSync(path.join(lockedDir, 'pgdata')), 'the directory was not opened');
  } finally {
    release();
    fs.rmSync(lockedDir, { recursive: true, force: true });
  }
});
