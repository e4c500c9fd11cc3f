import type { Kysely } from 'kysely';
import type { Database } from '../db/types.js';

// Bounds the memory of one process: a national installation has tens of thousands of distinct keys
// (area sets × services), far more than it needs at once.
const MAX_ENTRIES = 20_000;

/**
 * What one process read from the reference tables (catalogue, organisations, responsibilities, areas,
 * abuse list), kept until any of them changes. Every write to those tables moves reference_version (a
 * statement trigger, migration 0910), so `sync` — one indexed read of one row — tells whether the cache
 * still holds; it is called once per unit of work (a case intake), and then every lookup of that work is
 * answered from memory. Several processes each keep their own cache and each see a change at their next sync,
 * so a changed responsibility applies to the next case everywhere, as without the cache.
 */
export class ReferenceCache {
  private version: string | null = null;
  private reading: Promise<void> | null = null;
  private readonly entries = new Map<string, Promise<unknown>>();

  /**
   * Reads the current version; drops everything cached under another one. Units of work that start while a read
   * is on its way share it (under load, one read serves many intakes): a change committed during that one round
   * trip applies from the next read, as it would had those intakes come a moment earlier. Inside a transaction
   * the read is the transaction's own (on PGlite's single connection a shared read could not run meanwhile).
   */
  async sync(db: Kysely<Database>): Promise<void> {
    if (db.isTransaction) return this.read(db);
    this.reading ??= this.read(db).finally(() => (this.reading = null));
    return this.reading;
  }

  private async read(db: Kysely<Database>): Promise<void> {
    const row = await db.selectFrom('reference_version').select('version').executeTakeFirst();
    const version = String(row?.version ?? '');
    if (version !== this.version) {
      this.entries.clear();
      this.version = version;
    }
  }

  /**
   * The value under `key`, loaded once by `load` (with the caller's connection or transaction). A failed
   * load is not kept, so the next call tries again.
   */
  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const shared = this.entries.get(key) as Promise<T> | undefined;
    // Another unit of work's load failed (its transaction ended, say): this one loads for itself.
    if (shared) return shared.catch(() => load());
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    const entry = load();
    this.entries.set(key, entry);
    entry.catch(() => this.entries.delete(key));
    return entry;
  }

  /** Drops one entry (a lookup whose answer should not be kept, such as an unknown key). */
  forget(key: string): void {
    this.entries.delete(key);
  }

  /** Syncs and hands out the cache as the view one unit of work reads through (see `cached`). */
  async current(db: Kysely<Database>): Promise<ReferenceView> {
    await this.sync(db);
    return this;
  }

  /** Forgets everything (tests, or after a write this process made outside the tracked tables' triggers). */
  clear(): void {
    this.entries.clear();
    this.version = null;
  }
}

/** The cache as a unit of work sees it after a sync: only for lookups made in that work. */
export type ReferenceView = Pick<ReferenceCache, 'get' | 'forget'>;

/** `load()` through the view when the caller synced one, else straight from the database. */
export function cached<T>(view: ReferenceView | null | undefined, key: string, load: () => Promise<T>): Promise<T> {
  return view ? view.get(key, load) : load();
}
