import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../test/helpers/context.js';
import { deliverDue, enqueue, registerOutboxHandler, PermanentDeliveryError } from './service.js';

let t: TestContext;
before(async () => {
  t = await createTestContext();
});
after(async () => t.close());

async function statusOf(key: string) {
  return t.ctx.db.selectFrom('outbox').select(['status', 'attempts', 'last_error']).where('dedupe_key', '=', key).executeTakeFirstOrThrow();
}

test('a message written in a rolled-back transaction is never delivered', async () => {
  await assert.rejects(
    t.ctx.db.transaction().execute(async (trx) => {
      await enqueue(trx, { kind: 'test.never', organisation_id: null, payload: {}, dedupe_key: 'rolled-back' });
      throw new Error('abort');
    }),
  );
  const row = await t.ctx.db.selectFrom('outbox').select('id').where('dedupe_key', '=', 'rolled-back').executeTakeFirst();
  assert.equal(row, undefined);
});

test('delivers once, retries with backoff on failure and gives up as dead', async () => {
  const delivered: unknown[] = [];
  let failuresLeft = 2;
  registerOutboxHandler('test.flaky', async (m) => {
    if (failuresLeft-- > 0) throw new Error('smtp down');
    delivered.push(m.payload);
  });
  registerOutboxHandler('test.broken', async () => {
    throw new PermanentDeliveryError('bad address');
  });
  await t.ctx.db.transaction().execute(async (trx) => {
    await enqueue(trx, { kind: 'test.flaky', organisation_id: null, payload: { n: 1 }, dedupe_key: 'flaky' });
    await enqueue(trx, { kind: 'test.flaky', organisation_id: null, payload: { n: 1 }, dedupe_key: 'flaky' });
    await enqueue(trx, { kind: 'test.broken', organisation_id: null, payload: {}, dedupe_key: 'broken' });
  });
  for (let i = 0; i < 3; i++) {
    await deliverDue(t.ctx, { backoffBaseSeconds: 0 });
  }
  assert.deepEqual(delivered, [{ n: 1 }]);
  assert.equal((await statusOf('flaky')).status, 'delivered');
  assert.equal((await statusOf('flaky')).attempts, 3);
  const broken = await statusOf('broken');
  assert.equal(broken.status, 'dead');
  assert.match(broken.last_error ?? '', /bad address/);
});
