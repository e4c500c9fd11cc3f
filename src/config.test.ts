import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { loadConfig } from './config.js';

test('defaults: port 3000, host 127.0.0.1, ./data', () => {
  const c = loadConfig({});
  assert.equal(c.port, 3000);
  assert.equal(c.host, '127.0.0.1');
  assert.ok(c.dataDir.endsWith('/data'));
  assert.equal(c.databaseUrl, undefined);
});

test('each bad value names the variable and what it expects', () => {
  assert.throws(() => loadConfig({ PORT: 'abc' }), /PORT.*whole number from 0 to 65535/);
  assert.throws(() => loadConfig({ PORT: '70000' }), /PORT/);
  assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL.*postgres:/);
  assert.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL.*one of fatal, error/);
  assert.throws(() => loadConfig({ SMTP_URL: 'nonsense' }), /SMTP_URL/);
});

test('a bad value stops the start with one clear line and a non-zero exit', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], { env: { ...process.env, PORT: 'eighty' }, encoding: 'utf8' });
  assert.equal(run.status, 1);
  assert.equal(run.stderr.trim(), 'Invalid PORT="eighty": expected a whole number from 0 to 65535');
});
