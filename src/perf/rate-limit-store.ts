import { sql, type Kysely } from 'kysely';
import type { FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Database } from '../db/types.js';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

interface StoreOptions {
  continueExceeding?: boolean;
  routeInfo?: { method?: string; url?: string };
}

/** Expired windows are removed after every this many counted requests (per process; counted, not drawn at random, so a
 * short run of requests never sends the sweep). */
const SWEEP_EVERY = 500;

/**
 * A store for @fastify/rate-limit that keeps the counters in PostgreSQL (table rate_limits), so every
 * process of an installation sees the same count. One upsert per request (or per group of a key's requests
 * that arrive while its last upsert is on its way): a fixed window that starts
 * with the first request and, with `continueExceeding`, restarts while the client keeps going over.
 * `pgRateLimitStore(db)` gives the class the plugin instantiates (`store` option).
 */
export function pgRateLimitStore(db: Kysely<Database>): FastifyRateLimitStoreCtor {
  let countedSinceSweep = 0;
  class PgRateLimitStore {
    private readonly continueExceeding: boolean;
    private readonly prefix: string;

    constructor(options: StoreOptions = {}, prefix = '') {
      this.continueExceeding = options.continueExceeding ?? false;
      this.prefix = prefix;
    }

    // Keys with an upsert on its way, each with the requests that came meanwhile (they go in the next upsert).
    private readonly writing = new Map<string, { callbacks: Callback[]; timeWindow: number; max: number } | null>();

    incr(key: string, callback: Callback, timeWindow: number, max: number): void {
      const fullKey = this.prefix + key;
      if (!this.writing.has(fullKey)) return this.write(fullKey, [callback], timeWindow, max);
      const next = this.writing.get(fullKey) ?? { callbacks: [], timeWindow, max };
      next.callbacks.push(callback);
      this.writing.set(fullKey, next);
    }

    /**
     * Counts `callbacks.length` requests in one upsert; the k-th of them is told the count as if each had
     * been counted alone. A busy client's requests thus cost one statement per round trip, not one each.
     */
    private write(fullKey: string, callbacks: Callback[], timeWindow: number, max: number): void {
      this.writing.set(fullKey, null);
      const n = callbacks.length;
      sql<{ count: number; ttl: number }>`
        insert into rate_limits as r (key, count, window_ends_at)
        values (${fullKey}, ${n}, clock_timestamp() + make_interval(secs => ${timeWindow / 1000}))
        on conflict (key) do update set
          count = case when r.window_ends_at <= clock_timestamp() then excluded.count else r.count + excluded.count end,
          window_ends_at = case
            when r.window_ends_at <= clock_timestamp() then excluded.window_ends_at
            when ${this.continueExceeding} and r.count + excluded.count > ${max} then excluded.window_ends_at
            else r.window_ends_at end
        returning count, greatest(0, ceil(extract(epoch from (window_ends_at - clock_timestamp())) * 1000))::int as ttl
      `.execute(db).then(
        (result) => {
          const row = result.rows[0];
          callbacks.forEach((callback, k) => callback(null, { current: row.count - n + 1 + k, ttl: row.ttl }));
          countedSinceSweep += n;
          if (countedSinceSweep < SWEEP_EVERY) return;
          countedSinceSweep = 0;
          void sql`delete from rate_limits where window_ends_at < clock_timestamp() - interval '1 minute'`.execute(db).catch(() => {});
        },
        (error: Error) => callbacks.forEach((callback) => callback(error)),
      ).finally(() => {
        const next = this.writing.get(fullKey);
        this.writing.delete(fullKey);
        if (next) this.write(fullKey, next.callbacks, next.timeWindow, next.max);
      });
    }

    read(key: string, callback: Callback): void {
      sql<{ count: number; ttl: number }>`
        select count, greatest(0, ceil(extract(epoch from (window_ends_at - clock_timestamp())) * 1000))::int as ttl
        from rate_limits where key = ${this.prefix + key} and window_ends_at > clock_timestamp()
      `.execute(db).then(
        (result) => callback(null, { current: result.rows[0]?.count ?? 0, ttl: result.rows[0]?.ttl ?? 0 }),
        (error: Error) => callback(error),
      );
    }

    /** A route's own limiter: same table, keys prefixed by the route so limits stay apart. */
    child(routeOptions: StoreOptions): PgRateLimitStore {
      const route = routeOptions.routeInfo?.url ? `${routeOptions.routeInfo.method ?? ''}${routeOptions.routeInfo.url}:` : 'limiter:';
      return new PgRateLimitStore(routeOptions, this.prefix + route);
    }
  }
  // The plugin's types describe child()'s argument as route options; at run time it gets the merged
  // limiter options with routeInfo, which is what this class reads.
  return PgRateLimitStore as unknown as FastifyRateLimitStoreCtor;
}
