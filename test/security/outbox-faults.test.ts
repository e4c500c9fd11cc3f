import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { claimDue } from '../../src/outbox/repo.js';
import { deliverDue, handlerFor } from '../../src/outbox/service.js';
import { FORWARD_KIND } from '../../src/open311/forward.js';
import { CASE_EMAIL } from '../../src/notify/mailer.js';

// Outbox under faults: a fake Open311 endpoint and a fake SMTP server on loopback that fail 30 % of calls
// and time out 10 % (after having processed the message: the answer is what gets lost), while workers
// are "killed" — they claim messages, some even send them, and die without marking anything, so the
// lease runs out and another worker takes over. The receivers dedupe by the id the handlers send
// (Idempotency-Key for Open311 forwards, Message-ID for e-mail): every message must arrive exactly once.

const N = Number(process.env.OUTBOX_FAULT_CASES ?? 30);

/** Deterministic "random" fates, so a failure can be replayed. */
function fates(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const r = s / 2 ** 31;
    return r < 0.3 ? 'fail' : r < 0.4 ? 'timeout' : 'ok';
  };
}

describe('outbox with failing and timing-out receivers and killed workers', () => {
  let t: TestContext;
  let open311: http.Server;
  let smtp: SMTPServer;
  const forwards = new Map<string, number>(); // Idempotency-Key → times processed
  const mails = new Map<string, number>(); // Message-ID → times processed
  const calls = { open311: { fail: 0, timeout: 0, ok: 0, replayed: 0 }, smtp: { fail: 0, timeout: 0, ok: 0, replayed: 0 } };

  before(async () => {
    const fateOf311 = fates(11);
    open311 = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        const key = String(req.headers['idempotency-key'] ?? '');
        const fate = fateOf311();
        if (fate === 'fail' || !key) {
          calls.open311.fail++;
          res.writeHead(503, { 'content-type': 'text/xml' }).end('<errors><error><code>503</code><description>busy</description></error></errors>');
          return;
        }
        if (forwards.has(key)) calls.open311.replayed++;
        else forwards.set(key, 1); // processed once; a repeat with the same key is answered, not processed again
        if (fate === 'timeout') {
          calls.open311.timeout++;
          setTimeout(() => res.destroy(), 3000).unref();
          return;
        }
        calls.open311.ok++;
        res.writeHead(200, { 'content-type': 'text/xml' }).end(`<?xml version="1.0"?><service_requests><request><service_request_id>R-${key}</service_request_id></request></service_requests>`);
      });
    });
    await new Promise<void>((resolve) => open311.listen(0, '127.0.0.1', resolve));
    const fateOfSmtp = fates(23);
    smtp = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
      onData(stream, _session, callback) {
        let raw = '';
        stream.on('data', (c: Buffer) => { raw += c.toString('latin1'); });
        stream.on('end', () => {
          const id = /^Message-ID:\s*(\S+)/im.exec(raw)?.[1] ?? '';
          const fate = fateOfSmtp();
          if (fate === 'fail') {
            calls.smtp.fail++;
            callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
            return;
          }
          if (mails.has(id)) calls.smtp.replayed++;
          else mails.set(id, 1);
          if (fate === 'timeout') {
            calls.smtp.timeout++;
            return; // never answer: the sender's socket timeout fires
          }
          calls.smtp.ok++;
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const smtpPort = (smtp.server.address() as AddressInfo).port;
    t = await createTestContext({ smtpUrl: `smtp://127.0.0.1:${smtpPort}/?socketTimeout=1500&greetingTimeout=1500&connectionTimeout=1500` });
    const own = await t.ctx.db.selectFrom('responsibilities').innerJoin('organisations as o', 'o.id', 'responsibilities.provider_organisation_id')
      .select('responsibilities.id').where('o.slug', '=', 'kommun-1384').where('responsibilities.kind', '=', 'own').executeTakeFirstOrThrow();
    const endpoint = `http://127.0.0.1:${(open311.address() as AddressInfo).port}/`;
    await t.ctx.db.updateTable('responsibilities').set({ open311_forward: JSON.stringify({ endpoint, jurisdiction_id: '1384', api_key: 'k', timeout_ms: 1000 }) }).where('id', '=', own.id).execute();
    // Only our messages: the demo's earlier e-mails are out of the way.
    await t.ctx.db.updateTable('outbox').set({ status: 'delivered' }).where('status', '=', 'pending').execute();
  });
  after(async () => {
    await t.close();
    open311.close();
    open311.closeAllConnections();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it(`${N} forwards and ${N} receipts: every one delivered exactly once after recovery`, async () => {
    for (let i = 0; i < N; i++) {
      await t.ctx.cases.createCase({ service_code: 'pothole', channel: 'web', description: `Utkorgstest ${i}`, location: { lat: '57.4870', lon: '12.0760' }, reporter: { email: `outbox.${i}@example.org` } });
    }
    const ours = () => t.ctx.db.selectFrom('outbox').select(['id', 'kind', 'status', 'attempts', 'last_error', 'next_attempt_at']).where('kind', 'in', [FORWARD_KIND, CASE_EMAIL]).where('id', '>', 0).execute();
    const mine = (await ours()).filter((m) => m.status === 'pending');
    assert.equal(mine.filter((m) => m.kind === FORWARD_KIND).length, N);
    assert.equal(mine.filter((m) => m.kind === CASE_EMAIL).length, N);

    // Killed workers' claims count as attempts too, so under load the attempts (and a backoff of base × 2^n)
    // grow fast: a short cap keeps the test about recovery, not about waiting.
    const options = { batchSize: 4, leaseSeconds: 2, backoffBaseSeconds: 0.05, maxBackoffSeconds: 1, maxAttempts: 1000 };
    let kills = 0;
    // A worker that claims, delivers some of its claim and dies before marking anything.
    const killedWorker = async () => {
      kills++;
      const claimed = await claimDue(t.ctx.db, 3, 1);
      for (const m of claimed.slice(0, 1)) {
        await handlerFor(m.kind)?.(m, t.ctx).catch(() => {});
      }
    };
    const deadline = Date.now() + 240_000;
    for (let round = 0; Date.now() < deadline; round++) {
      // A few deaths prove recovery; a dying worker on a fixed beat can re-claim the same message each time its
      // lease runs out, before a live worker sees it, and starve it for the whole test.
      if (round % 5 === 0 && kills < 8) await killedWorker();
      await Promise.all([deliverDue(t.ctx, options), deliverDue(t.ctx, options)]);
      const left = (await ours()).filter((m) => m.status !== 'delivered');
      if (left.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const final = await ours();
    const attempts = final.reduce((sum, m) => sum + m.attempts, 0);
    console.log(`# outbox faults: ${final.length} messages, ${attempts} attempts, ${kills} killed workers; Open311 ${JSON.stringify(calls.open311)}, SMTP ${JSON.stringify(calls.smtp)}`);
    assert.deepEqual(final.filter((m) => m.status !== 'delivered'), [], '100 % delivered');
    const keys = new Set((await t.ctx.db.selectFrom('cases').select('public_id').where('description', 'like', 'Utkorgstest %').execute()).map((c) => `ingang-forward-${c.public_id}`));
    assert.deepEqual([...forwards.keys()].filter((k) => keys.has(k)).length, N, 'every forward arrived');
    assert.ok([...forwards.values()].every((n) => n === 1), 'each processed once');
    const ids = final.filter((m) => m.kind === CASE_EMAIL).map((m) => m.id);
    assert.equal(ids.filter((id) => [...mails.keys()].some((k) => k.startsWith(`<ingang-outbox-${id}@`))).length, N, 'every receipt arrived');
    assert.ok([...mails.values()].every((n) => n === 1));
    assert.ok(calls.open311.fail > 0 && calls.open311.timeout > 0 && calls.smtp.fail > 0 && calls.smtp.timeout > 0, 'the faults really happened');
    const sent = await t.ctx.db.selectFrom('open311_forwards').select('state').where('state', '<>', 'sent').execute();
    assert.equal(sent.length, 0);
  });
});
