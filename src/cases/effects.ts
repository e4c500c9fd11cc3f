import type { Kysely } from 'kysely';
import type { Case, CaseEvent, Database } from '../db/types.js';
import type { ReferenceView } from '../shared/reference-cache.js';

/** What the unit of work already knows, so effects need not read it again. */
export interface EffectEnv {
  /** Reference data synced for this unit of work (catalogue names, responsibilities, abuse list). */
  reference?: ReferenceView | null;
  /** The reporter row the intake just wrote. */
  reporter?: { id: number; email: string | null; phone: string | null; device_id: string | null; locale: string } | null;
}

/** Something that must happen because a case event was appended (an e-mail, a forward), written in the same transaction. */
export type CaseEffect = (trx: Kysely<Database>, kase: Case, event: CaseEvent, env: EffectEnv) => Promise<void>;

const effects: CaseEffect[] = [];

/**
 * Lets other modules (notify, open311 forwarding) react to case events without the case service
 * knowing them. Effects run inside the case transaction, so they should only write rows
 * (typically outbox rows) and never talk to the outside world.
 */
export function registerCaseEffect(effect: CaseEffect): () => void {
  effects.push(effect);
  return () => {
    const i = effects.indexOf(effect);
    if (i >= 0) effects.splice(i, 1);
  };
}

/** Runs every registered effect for an appended event. */
export async function runCaseEffects(trx: Kysely<Database>, kase: Case, event: CaseEvent, env: EffectEnv = {}): Promise<void> {
  for (const effect of effects) await effect(trx, kase, event, env);
}

/** The reporter of a case: the one the intake just wrote, else read. */
export async function reporterOf(trx: Kysely<Database>, kase: Case, env: EffectEnv) {
  if (kase.reporter_id === null) return null;
  if (env.reporter?.id === kase.reporter_id) return env.reporter;
  return (await trx.selectFrom('reporters').select(['id', 'email', 'phone', 'device_id', 'locale']).where('id', '=', kase.reporter_id).executeTakeFirst()) ?? null;
}
