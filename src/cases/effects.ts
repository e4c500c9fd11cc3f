import type { Kysely } from 'kysely';
import type { Case, CaseEvent, Database } from '../db/types.js';

/** Something that must happen because a case event was appended (an e-mail, a forward), written in the same transaction. */
export type CaseEffect = (trx: Kysely<Database>, kase: Case, event: CaseEvent) => Promise<void>;

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
export async function runCaseEffects(trx: Kysely<Database>, kase: Case, event: CaseEvent): Promise<void> {
  for (const effect of effects) await effect(trx, kase, event);
}
