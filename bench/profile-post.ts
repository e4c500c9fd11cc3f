// CPU-profiles one app process under the POST load of bench item 1 (profile in /tmp/prof; NOPROF=1 to only
// load it), or under GET load of a path: `npx tsx bench/profile-post.ts [post|/open311/v2/requests.json?…]`.
import path from 'node:path';
import autocannon from 'autocannon';
import { createApiKey } from '../src/apikeys/service.js';
import { prepareBenchDatabase } from './database.js';
import { startProcess } from './http.js';
import { postBodies } from './web.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const db = await prepareBenchDatabase('postgres://postgres:postgres@127.0.0.1:5432/postgres', 1_000_000, {});
const key = await createApiKey(db.ctx.db, { name: 'prof', rateLimitPerMinute: 100_000_000 });
const bodies = await postBodies(db, key.key);
const mode = process.argv[2] ?? 'post';
const app = await startProcess('node', [...(process.env.NOPROF ? [] : ['--cpu-prof', '--cpu-prof-dir=/tmp/prof']), '--import', 'tsx', path.join(ROOT, 'src/main.ts'), 'serve', '--no-seed'],
  { DATABASE_URL: db.url, PORT: '3971', LOG_LEVEL: 'warn' }, 'http://127.0.0.1:3971/healthz');
let next = 0;
const codes: Record<string, number> = {};
const opts: autocannon.Options = mode === 'post'
  ? { url: 'http://127.0.0.1:3971', connections: 50, duration: 10, requests: [{ method: 'POST', path: '/open311/v2/requests.json', headers: { 'content-type': 'application/x-www-form-urlencoded' }, setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }), onResponse: (status, body) => { codes[status] = (codes[status] ?? 0) + 1; if (status >= 400 && codes[status] < 3) console.log(status, body.slice(0, 300)); } }] }
  : { url: `http://127.0.0.1:3971${mode}`, connections: 4, duration: 10, headers: process.env.COOKIE ? { cookie: process.env.COOKIE } : {} };
const result = await autocannon(opts);
console.log(mode, 'req/s', result.requests.average, 'p50', result.latency.p50, 'p99', result.latency.p99, 'non2xx', result.non2xx, 'errors', result.errors, 'timeouts', result.timeouts, codes);
await app.stop();
await db.handle.close();
process.exit(0);
