import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

// Bulk writing for the bench data set (text COPY) and the import (binary COPY), and PGlite's fallback: PGlite has no
// COPY FROM STDIN through the pg bridge, so there the same rows go in as multi-row INSERTs.

const COPY_SPECIAL = /[\\\t\n\r]/;
const CHUNK = 1 << 20;

/** One value in PostgreSQL's COPY text format. */
export function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return String(value);
  if (value instanceof Date) return value.toISOString();
  const text = String(value);
  return COPY_SPECIAL.test(text) ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : text;
}

/**
 * Streams lines of COPY text (each ending in a newline) into a table with COPY FROM STDIN on the given client.
 * Lines may be produced lazily; they are sent 1000 at a time while the server parses the previous ones.
 */
export async function copyLines(client: pg.ClientBase, table: string, columns: readonly string[], lines: Iterable<string>): Promise<void> {
  const chunks = function* () {
    let chunk = '';
    let n = 0;
    for (const line of lines) {
      chunk += line;
      if (++n === 1000) {
        yield chunk;
        chunk = '';
        n = 0;
      }
    }
    if (n) yield chunk;
  };
  await pipeline(Readable.from(chunks()), client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`)));
}

/** A column's type as binary COPY writes it. */
export type CopyType = 'int2' | 'int4' | 'int8' | 'float8' | 'text' | 'jsonb' | 'timestamptz';

/** A column of a binary COPY: its name and type. */
export interface CopyColumn {
  name: string;
  type: CopyType;
}

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const TWO_32 = 2 ** 32;
// PostgreSQL's epoch (2000-01-01) in Unix milliseconds: binary timestamps count microseconds from it.
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);

/** Writes binary COPY tuples into chunks of about a megabyte; a field never spans two chunks. */
class BinaryChunks {
  chunk = Buffer.allocUnsafe(CHUNK);
  used = 0;
  full: Buffer[] = [];

  ensure(bytes: number): void {
    if (this.used + bytes <= this.chunk.length) return;
    if (this.used > 0) this.full.push(this.chunk.subarray(0, this.used));
    this.chunk = Buffer.allocUnsafe(Math.max(CHUNK, bytes));
    this.used = 0;
  }

  int16(n: number): void {
    this.ensure(2);
    this.used = this.chunk.writeInt16BE(n, this.used);
  }

  /** A 64-bit integer from a number (exact below 2^53, negative too). */
  private int64(n: number): void {
    const high = Math.floor(n / TWO_32);
    this.used = this.chunk.writeInt32BE(high, this.used);
    this.used = this.chunk.writeUInt32BE(n - high * TWO_32, this.used);
  }

  field(type: CopyType, value: unknown): void {
    if (value === null || value === undefined) {
      this.ensure(4);
      this.used = this.chunk.writeInt32BE(-1, this.used);
      return;
    }
    switch (type) {
      case 'int2':
        this.ensure(6);
        this.used = this.chunk.writeInt32BE(2, this.used);
        this.used = this.chunk.writeInt16BE(value as number, this.used);
        return;
      case 'int4':
        this.ensure(8);
        this.used = this.chunk.writeInt32BE(4, this.used);
        this.used = this.chunk.writeInt32BE(value as number, this.used);
        return;
      case 'int8':
        this.ensure(12);
        this.used = this.chunk.writeInt32BE(8, this.used);
        this.int64(value as number);
        return;
      case 'float8':
        this.ensure(12);
        this.used = this.chunk.writeInt32BE(8, this.used);
        this.used = this.chunk.writeDoubleBE(value as number, this.used);
        return;
      case 'timestamptz':
        this.ensure(12);
        this.used = this.chunk.writeInt32BE(8, this.used);
        this.int64(((value as Date).getTime() - PG_EPOCH_MS) * 1000);
        return;
      case 'text':
      case 'jsonb': {
        const text = value as string;
        // A UTF-16 code unit takes at most three bytes in UTF-8; jsonb starts with its format version, 1.
        const version = type === 'jsonb' ? 1 : 0;
        this.ensure(5 + text.length * 3);
        const start = this.used;
        if (version) this.chunk[start + 4] = 1;
        const bytes = this.chunk.write(text, start + 4 + version) + version;
        this.chunk.writeInt32BE(bytes, start);
        this.used = start + 4 + bytes;
        return;
      }
    }
  }

  take(): Buffer[] {
    const out = this.full;
    this.full = [];
    return out;
  }
}

/**
 * Streams rows (values in column order: numbers, strings, Dates or null) into a table with binary COPY FROM STDIN on
 * the given client, so it can run inside the caller's transaction. Binary spares both sides the text: nothing to
 * escape or format here, nothing to parse but JSON on the server. Rows may be produced lazily; each megabyte is
 * sent while the next is made. The column types must be the table's exactly. Values given for an identity column
 * are stored as given (COPY's rule).
 */
export async function copyBinary(client: pg.ClientBase, table: string, columns: readonly CopyColumn[], rows: Iterable<readonly unknown[]>): Promise<void> {
  const types = columns.map((c) => c.type);
  const chunks = function* () {
    const out = new BinaryChunks();
    out.ensure(SIGNATURE.length + 8);
    out.used += SIGNATURE.copy(out.chunk, out.used);
    out.used = out.chunk.writeInt32BE(0, out.used);
    out.used = out.chunk.writeInt32BE(0, out.used);
    for (const row of rows) {
      out.int16(types.length);
      for (let k = 0; k < types.length; k++) out.field(types[k], row[k]);
      if (out.full.length) yield* out.take();
    }
    out.int16(-1);
    yield* out.take();
    yield out.chunk.subarray(0, out.used);
  };
  await pipeline(Readable.from(chunks()), client.query(copyFrom(`copy ${table} (${columns.map((c) => c.name).join(', ')}) from stdin with (format binary)`)));
}

/**
 * PGlite's counterpart of copyBinary: the same rows by multi-row INSERTs on the given client, as many rows each as
 * the parameter limit allows; values given for an identity column are stored as given, as with COPY.
 */
export async function insertValues(client: pg.ClientBase, table: string, columns: readonly CopyColumn[], rows: Iterable<readonly unknown[]>): Promise<void> {
  const names = columns.map((c) => c.name).join(', ');
  const perStatement = Math.floor(60_000 / columns.length);
  const flush = async (batch: (readonly unknown[])[]) => {
    const tuples = batch.map((_, r) => `(${columns.map((_c, k) => `$${r * columns.length + k + 1}`).join(', ')})`);
    await client.query(`insert into ${table} (${names}) overriding system value values ${tuples.join(', ')}`, batch.flat());
  };
  let batch: (readonly unknown[])[] = [];
  for (const row of rows) {
    batch.push(row);
    if (batch.length === perStatement) {
      await flush(batch);
      batch = [];
    }
  }
  if (batch.length) await flush(batch);
}
