import { AsyncLocalStorage } from 'node:async_hooks';
import type { Kysely } from 'kysely';
import type { Case, Database, NewCase, RoutingDecision } from '../db/types.js';
import type { ServiceWithGroup } from '../catalogue/repo.js';
import type { ReferenceView } from '../shared/reference-cache.js';
import type { StoredImage } from '../attachments/store.js';
import { appendEvents, insertCases, insertIntakePhotos, nextCaseNumbers, type NewEvent, type NewReporter } from './repo.js';
import { runCaseEffects, type EffectEnv } from './effects.js';

/** A new case validated and routed, ready to be stored: all but its number and the ids the database gives. */
export interface PreparedIntake {
  prefix: string;
  year: number;
  /** Taken once (see takeNumbers); a retry of the intake keeps it. */
  number?: number;
  values: Omit<NewCase, 'reporter_id' | 'public_id'>;
  reporter: NewReporter | null;
  events: Omit<NewEvent, 'case_id' | 'organisation_id'>[];
  /** Photos already on disk; recorded in the case's transaction, so a case never commits without them. */
  photos: StoredImage[];
  decision: RoutingDecision;
  service: ServiceWithGroup;
  reference: ReferenceView;
  /** Runs a function in the async context the intake came from (its request's origin, idempotency claim). */
  inContext: <R>(fn: () => R) => R;
}

export interface CreatedCase {
  case: Case;
  decision: RoutingDecision;
  service: ServiceWithGroup;
}

/** The async context of the caller, to run an intake's effects in when another request's batch stores it. */
export function callerContext(): PreparedIntake['inContext'] {
  return AsyncLocalStorage.snapshot();
}

/**
 * Numbers the intakes that have none, in one statement for all their series, outside any case transaction:
 * a counter row is then locked for one statement, not for a whole intake, so intakes do not queue behind each
 * other. An intake that fails after this leaves its number unused (a gap, as a database sequence would).
 */
export async function takeNumbers(db: Kysely<Database>, intakes: PreparedIntake[]): Promise<void> {
  const wanting = intakes.filter((i) => i.number === undefined);
  if (wanting.length === 0) return;
  const counts = new Map<string, { prefix: string; year: number; count: number }>();
  for (const i of wanting) {
    const key = `${i.prefix}\n${i.year}`;
    const series = counts.get(key) ?? { prefix: i.prefix, year: i.year, count: 0 };
    series.count++;
    counts.set(key, series);
  }
  const last = await nextCaseNumbers(db, [...counts.values()]);
  const next = new Map([...counts].map(([key, series]) => [key, last.get(key)! - series.count]));
  for (const i of wanting) {
    const key = `${i.prefix}\n${i.year}`;
    const number = next.get(key)! + 1;
    next.set(key, number);
    i.number = number;
  }
}

/** The readable number of a case, e.g. HBG-2026-00042. */
export function publicIdOf(intake: PreparedIntake): string {
  return `${intake.prefix}-${intake.year}-${String(intake.number).padStart(5, '0')}`;
}

/**
 * Stores numbered intakes in the caller's transaction: reporters and cases in one statement, all their first
 * events in another, their photos in a third, then each case's effects (which hold their rows for the unit of
 * work's end, see write-batch). Returns the created cases in the order given.
 */
export async function storeIntakes(trx: Kysely<Database>, intakes: PreparedIntake[]): Promise<CreatedCase[]> {
  const cases = await insertCases(trx, intakes.map((i) => ({ values: { ...i.values, public_id: publicIdOf(i) }, reporter: i.reporter })));
  const events = await appendEvents(trx, intakes.flatMap((i, n) =>
    i.events.map((event) => ({ ...event, case_id: cases[n].id, organisation_id: cases[n].organisation_id }))));
  await insertIntakePhotos(trx, intakes.flatMap((i, n) => {
    const createdEvent = events.find((e) => e.case_id === cases[n].id && e.kind === 'created')!;
    return i.photos.map((photo) => ({ kase: cases[n], eventId: createdEvent.id, photo }));
  }));
  const created: CreatedCase[] = [];
  for (const [n, intake] of intakes.entries()) {
    const kase = cases[n];
    const env: EffectEnv = {
      reference: intake.reference,
      reporter: intake.reporter && kase.reporter_id !== null ? { ...intake.reporter, id: kase.reporter_id } : null,
    };
    for (const event of events.filter((e) => e.case_id === kase.id)) {
      await intake.inContext(() => runCaseEffects(trx, kase, event, env));
    }
    created.push({ case: kase, decision: intake.decision, service: intake.service });
  }
  return created;
}

interface Waiting {
  intake: PreparedIntake;
  resolve: (created: CreatedCase) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit of intakes. An intake that arrives while none is being stored is stored at once, alone; those
 * that arrive meanwhile wait and are then stored together, in one transaction of a fixed few statements. Under
 * load a transaction thus carries many cases, and the round trips and the commit's WAL flush, which cost the
 * app and PostgreSQL more than the rows themselves, are shared; when it is quiet nothing waits. If a
 * transaction of several fails, each of its intakes is tried alone, so one bad intake fails only itself.
 */
export class IntakeBatcher {
  private waiting: Waiting[] = [];
  private storing = false;

  constructor(
    private readonly store: (intakes: PreparedIntake[]) => Promise<CreatedCase[]>,
    private readonly maxBatch = 64,
  ) {}

  submit(intake: PreparedIntake): Promise<CreatedCase> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ intake, resolve, reject });
      if (!this.storing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.storing = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, this.maxBatch);
        try {
          const created = await this.store(batch.map((w) => w.intake));
          batch.forEach((w, n) => w.resolve(created[n]));
        } catch (error) {
          if (batch.length === 1) batch[0].reject(error);
          else for (const w of batch) await this.store([w.intake]).then(([c]) => w.resolve(c), w.reject);
        }
      }
    } finally {
      this.storing = false;
    }
  }
}
