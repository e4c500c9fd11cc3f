import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../test/helpers/context.js';
import { AppError } from '../shared/errors.js';
import { ALL_STATUSES, canTransition, CLOSED_STATUSES, OPEN311_STATUS, TRANSITIONS } from './states.js';

let t: TestContext;
let caseId: number;
before(async () => {
  t = await createTestContext();
  const created = await t.ctx.cases.createCase({
    service_code: 'pothole', location: { lat: 56.0465, lon: 12.6945 }, channel: 'web', description: 'Hål i gatan',
  });
  caseId = created.case.id;
});
after(async () => t.close());

test('the table covers every state, and closed states only reopen (fixed may also close)', () => {
  assert.deepEqual(Object.keys(TRANSITIONS).sort(), [...ALL_STATUSES].sort());
  for (const s of CLOSED_STATUSES) {
    const allowed = [...TRANSITIONS[s]].sort();
    assert.deepEqual(allowed, s === 'fixed' ? ['closed', 'reopened'] : ['reopened'], s);
  }
  for (const s of ALL_STATUSES) assert.equal(canTransition(s, 'submitted'), false, `${s} → submitted`);
});

test('every allowed and every forbidden transition, through the case service', async () => {
  let checked = 0;
  for (const from of ALL_STATUSES) {
    for (const to of ALL_STATUSES) {
      await t.ctx.db.updateTable('cases')
        .set({ status: from, closed_at: OPEN311_STATUS[from] === 'closed' ? new Date() : null })
        .where('id', '=', caseId).execute();
      const before = await t.ctx.db.selectFrom('cases').select(['version', 'reopen_count']).where('id', '=', caseId).executeTakeFirstOrThrow();
      const events = await t.ctx.db.selectFrom('case_events').select(t.ctx.db.fn.countAll<string>().as('n')).where('case_id', '=', caseId).executeTakeFirstOrThrow();
      if (canTransition(from, to)) {
        const updated = await t.ctx.cases.changeStatus(caseId, to, { expectedVersion: before.version, actor: { user_id: null, organisation_id: null, label: 'test' } });
        assert.equal(updated.status, to, `${from} → ${to}`);
        assert.equal(updated.version, before.version + 1);
        assert.equal(updated.closed_at !== null, OPEN311_STATUS[to] === 'closed', `${from} → ${to} closed_at`);
        if (to === 'reopened') assert.equal(updated.reopen_count, before.reopen_count + 1);
        const last = await t.ctx.db.selectFrom('case_events').selectAll().where('case_id', '=', caseId).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
        assert.equal(last.kind, 'status_changed');
        assert.deepEqual(last.data, { before: from, after: to });
        assert.equal(last.actor_label, 'test');
      } else {
        await assert.rejects(t.ctx.cases.changeStatus(caseId, to, { expectedVersion: before.version }),
          (e: unknown) => e instanceof AppError && e.status === 409 && e.code === 'invalid_transition', `${from} → ${to} must be refused`);
        const after = await t.ctx.db.selectFrom('cases').select(['version', 'status']).where('id', '=', caseId).executeTakeFirstOrThrow();
        assert.deepEqual(after, { version: before.version, status: from }, 'a refused transition changes nothing');
        const eventsAfter = await t.ctx.db.selectFrom('case_events').select(t.ctx.db.fn.countAll<string>().as('n')).where('case_id', '=', caseId).executeTakeFirstOrThrow();
        assert.equal(Number(eventsAfter.n), Number(events.n));
      }
      checked++;
    }
  }
  assert.equal(checked, ALL_STATUSES.length ** 2);
});
