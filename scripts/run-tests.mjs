#!/usr/bin/env node
// The whole test suite: `npm test`. Runs every *.test.ts under src/ and test/ on embedded PGlite, and
// again on PostgreSQL when DATABASE_URL (or INGANG_TEST_PG_URL) is set. Browser tests (*.browser.test.ts)
// run when Chromium is installed (/usr/bin/chromium or CHROMIUM_PATH) and are skipped with a notice otherwise.
// Files are listed explicitly: on Node 20, `node --test <dir>` finds no .ts files and passes silently.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('--'));

function findTests(dir) {
  const out = [];
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findTests(full));
    else if (entry.name.endsWith('.test.ts')) out.push(path.relative(root, full));
  }
  return out;
}

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveBrowser = fs.existsSync(chromium);
let files = [...findTests(path.join(root, 'src')), ...findTests(path.join(root, 'test')), ...findTests(path.join(root, 'web'))].sort();
if (only.length) files = files.filter((f) => only.some((o) => f.includes(o)));
const browserFiles = files.filter((f) => f.endsWith('.browser.test.ts'));
if (!haveBrowser && browserFiles.length) {
  console.log(`# Chromium not found at ${chromium}: skipping ${browserFiles.length} browser test file(s) (apt-get install chromium to run them)`);
  files = files.filter((f) => !f.endsWith('.browser.test.ts'));
}
if (files.length === 0) {
  console.error('No test files found.');
  process.exit(1);
}

// Tests that load pages need the built front end; a checkout without `npm install`'s build gets one here.
if (!fs.existsSync(path.join(root, 'web/dist/index.html'))) {
  const vite = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (vite.status !== 0) process.exit(1);
}

const pgUrl = process.env.INGANG_TEST_PG_URL || process.env.DATABASE_URL;
const targets = [{ name: 'PGlite', env: {} }];
const pgTemplate = `ingang_test_template_${process.pid}`;
if (pgUrl) targets.push({ name: 'PostgreSQL', env: { INGANG_TEST_PG_URL: pgUrl, INGANG_TEST_PG_TEMPLATE: pgTemplate } });

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ingang-test-'));
let totalPass = 0;
let totalFail = 0;
let failed = false;
for (const target of targets) {
  console.log(`\n# ===== ${target.name}: ${files.length} test files =====`);
  const env = { ...process.env, ...target.env, LOG_LEVEL: 'silent', NODE_ENV: 'test' };
  delete env.DATABASE_URL;
  // The PGlite run must not inherit a server URL from the shell (INGANG_TEST_PG_URL selects PostgreSQL in tests).
  if (target.name === 'PGlite') delete env.INGANG_TEST_PG_URL;
  if (target.name === 'PGlite') env.INGANG_TEST_PGLITE_TEMPLATE = path.join(tmp, 'template.tar');
  const build = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/build-test-template.ts')], { cwd: root, env, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error(`# could not build the ${target.name} test template`);
    failed = true;
    continue;
  }
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', `--test-concurrency=${os.availableParallelism() > 2 ? 2 : 2}`, ...files], {
    cwd: root,
    env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  process.stdout.write(run.stdout ?? '');
  process.stderr.write(run.stderr ?? '');
  const pass = Number(/^# pass (\d+)/m.exec(run.stdout ?? '')?.[1] ?? 0);
  const fail = Number(/^# fail (\d+)/m.exec(run.stdout ?? '')?.[1] ?? 0);
  const tests = Number(/^# tests (\d+)/m.exec(run.stdout ?? '')?.[1] ?? 0);
  totalPass += pass;
  totalFail += fail;
  if (run.status !== 0 || tests === 0) failed = true;
  console.log(`# ${target.name}: ${pass} passed, ${fail} failed of ${tests}`);
}
fs.rmSync(tmp, { recursive: true, force: true });
if (pgUrl) {
  const drop = `drop database if exists ${pgTemplate} with (force)`;
  spawnSync(process.execPath, ['-e', `const pg=require('pg');const c=new pg.Client({connectionString:process.argv[1]});c.connect().then(()=>c.query(process.argv[2])).finally(()=>c.end())`, pgUrl, drop], { cwd: root, stdio: 'inherit' });
}
console.log(`\n${totalPass} passed, ${totalFail} failed`);
process.exit(failed || totalFail > 0 ? 1 : 0);
