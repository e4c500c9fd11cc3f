import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServiceWithGroup } from '../catalogue/repo.js';
import { NATIONAL_SERVICES } from '../catalogue/national-catalogue.js';
import { dueAtFor } from '../cases/service.js';
import { swedishDate } from '../routing/service.js';
import { DueTimes } from './due-times.js';

const MINUTE = 60_000;

/** Every national service at each priority, so hours, days and working days are all exercised. */
function services(): ServiceWithGroup[] {
  let id = 0;
  return NATIONAL_SERVICES.flatMap((s) => ([1, 2, 3] as const).map((priority) => ({ ...s, id: ++id, default_priority: priority }) as unknown as ServiceWithGroup));
}

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('memoised SLA due times equal the case service rule: random instants over three years, in random order', () => {
  const next = random(42);
  const from = Date.parse('2023-11-01T00:00:00Z');
  const span = 3 * 365 * 24 * 60 * MINUTE;
  const all = services();
  const due = new DueTimes((at) => swedishDate(at));
  for (let i = 0; i < 20_000; i++) {
    const service = all[Math.floor(next() * all.length)];
    const at = new Date(from + Math.floor(next() * span));
    assert.equal(due.dueAt(service, at)?.toISOString(), dueAtFor(service.sla_tiers, service.default_priority, at)?.toISOString(), `${service.service_code} p${service.default_priority} at ${at.toISOString()}`);
  }
});

test('memoised SLA due times around clock changes, Easter, midsummer and Christmas, every 23 minutes', () => {
  const all = services();
  const windows = ['2025-03-28', '2025-04-16', '2025-05-28', '2025-06-18', '2025-10-24', '2025-12-22', '2026-03-27'];
  for (const start of windows) {
    const due = new DueTimes((at) => swedishDate(at));
    const from = Date.parse(`${start}T00:00:00Z`);
    for (let t = from; t < from + 4 * 24 * 60 * MINUTE; t += 23 * MINUTE + 13_000) {
      for (const service of all) {
        const at = new Date(t);
        assert.equal(due.dueAt(service, at)?.toISOString(), dueAtFor(service.sla_tiers, service.default_priority, at)?.toISOString(), `${service.service_code} p${service.default_priority} at ${at.toISOString()}`);
      }
    }
  }
});
