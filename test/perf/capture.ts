import pg from 'pg';

/** A statement as the app sent it. */
export interface CapturedQuery {
  text: string;
  values: unknown[];
}

/**
 * Records every statement sent through any pg client (Kysely on PostgreSQL and on PGlite both go
 * through pg.Client.query) while `fn` runs. Used to count queries per request and to EXPLAIN them.
 */
export async function captureQueries<T>(fn: () => Promise<T>): Promise<{ result: T; queries: CapturedQuery[] }> {
  const queries: CapturedQuery[] = [];
  const original = pg.Client.prototype.query;
  (pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: pg.Client, ...args: unknown[]) {
    const [first, second] = args as [string | { text?: string; values?: unknown[] }, unknown];
    const text = typeof first === 'string' ? first : first?.text ?? '';
    const values = Array.isArray(second) ? second : typeof first === 'object' ? first?.values ?? [] : [];
    if (text) queries.push({ text, values });
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  };
  try {
    const result = await fn();
    return { result, queries };
  } finally {
    pg.Client.prototype.query = original;
  }
}

/** Statements other than transaction control and the health ping. */
export function meaningful(queries: CapturedQuery[]): CapturedQuery[] {
  return queries.filter((q) => !/^\s*(begin|commit|rollback|select 1)\b/i.test(q.text));
}
