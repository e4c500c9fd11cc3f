import type { Kysely } from 'kysely';
import type { Database } from '../db/types.js';
import type { AppContext } from '../app-context.js';
import { deferWrite } from '../shared/write-batch.js';
import { claimDue, markDelivered, markFailed, type ClaimedMessage } from './repo.js';

/** What a module asks to be delivered after its transaction commits. */
export interface OutboxMessage {
  kind: string;
  organisation_id: number | null;
  payload: Record<string, unknown>;
  /** Same key → one message, however often the change is retried. */
  dedupe_key?: string;
}

/** Delivers one message; throws to retry later. Must be idempotent: a crash after sending and before marking repeats it. */
export type OutboxHandler = (message: ClaimedMessage, ctx: AppContext) => Promise<void>;

/** A handler may throw this to stop retrying at once (the message is dead). */
export class PermanentDeliveryError extends Error {}

const handlers = new Map<string, OutboxHandler>();

/** Registers the delivery of one kind of message (e.g. 'email', 'open311.forward'). */
export function registerOutboxHandler(kind: string, handler: OutboxHandler): void {
  handlers.set(kind, handler);
}

/** The registered handler of a kind (the fault tests use it to play a worker that dies after sending). */
export function handlerFor(kind: string): OutboxHandler | undefined {
  return handlers.get(kind);
}

/** Writes a message in the caller's transaction (in a write batch, with the batch's other rows). */
export async function enqueue(trx: Kysely<Database>, message: OutboxMessage): Promise<void> {
  const row = {
    kind: message.kind,
    organisation_id: message.organisation_id,
    payload: JSON.stringify(message.payload),
    dedupe_key: message.dedupe_key ?? null,
  };
  await deferWrite(trx, 'outbox', [row], (db, rows) => db.insertInto('outbox').values(rows).onConflict((oc) => oc.column('dedupe_key').doNothing()));
}

export interface WorkerOptions {
  maxAttempts?: number;
  batchSize?: number;
  leaseSeconds?: number;
  /** Backoff base: the n-th retry waits base × 2^(n-1) seconds, at most maxBackoffSeconds. */
  backoffBaseSeconds?: number;
  /** Longest wait between retries (default an hour). */
  maxBackoffSeconds?: number;
}

/** Delivers every message due now, once; returns how many were tried. Tests call it directly. */
export async function deliverDue(ctx: AppContext, options: WorkerOptions = {}): Promise<number> {
  const maxAttempts = options.maxAttempts ?? 10;
  const base = options.backoffBaseSeconds ?? 5;
  const leaseSeconds = options.leaseSeconds ?? 60;
  const claimedAt = performance.now();
  const claimed = await claimDue(ctx.db, options.batchSize ?? 20, leaseSeconds);
  // Delivered messages are marked together at the end of the claim (one statement, not one per message): a
  // crash before that repeats their delivery, which every handler must bear anyway (see OutboxHandler). Once half
  // the lease is gone (slow receivers), they are marked before the next delivery, so no other worker re-claims them.
  let delivered: number[] = [];
  for (const message of claimed) {
    if (delivered.length > 0 && performance.now() - claimedAt > (leaseSeconds * 1000) / 2) {
      await markDelivered(ctx.db, delivered);
      delivered = [];
    }
    const handler = handlers.get(message.kind);
    try {
      if (!handler) throw new PermanentDeliveryError(`no handler for outbox kind "${message.kind}"`);
      await handler(message, ctx);
      delivered.push(message.id);
    } catch (error) {
      const permanent = error instanceof PermanentDeliveryError || message.attempts >= maxAttempts;
      const retryIn = permanent ? null : Math.min(options.maxBackoffSeconds ?? 3600, base * 2 ** (message.attempts - 1));
      await markFailed(ctx.db, message.id, (error as Error).message ?? String(error), retryIn);
    }
  }
  await markDelivered(ctx.db, delivered);
  return claimed.length;
}

/** Polls the outbox until stopped; several workers and processes may run at once. */
export function startOutboxWorker(ctx: AppContext, options: WorkerOptions & { intervalMs?: number } = {}): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const interval = options.intervalMs ?? 500;
  const loop = async () => {
    while (!stopped) {
      try {
        const tried = await deliverDue(ctx, options);
        if (tried > 0) continue;
      } catch {
        // A database hiccup: wait and poll again rather than kill the worker.
      }
      await new Promise((resolve) => setTimeout(resolve, interval));
    }
  };
  running = loop();
  return {
    async stop() {
      stopped = true;
      await running;
    },
  };
}
