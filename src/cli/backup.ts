import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/connection.js';
import { acquireDataDirLock } from '../db/lock.js';
import { migrateToLatest } from '../db/migrate.js';
import { UsageError, type Command } from './registry.js';

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..+/, '').replace('T', '-');
}

function refuseOnServer(): void {
  if (loadConfig().databaseUrl) {
    throw new UsageError('DATABASE_URL is set: back up a PostgreSQL server with pg_dump -Fc and restore with pg_restore (see README "Backups")');
  }
}

/** `backup`: a consistent copy of the embedded database as a .tar.gz, taken under the data-directory lock. */
export const backupCommand: Command = {
  name: 'backup',
  summary: 'Write a backup of the embedded database (stop the server first; PostgreSQL: use pg_dump)',
  usage: 'backup [--out <file.tar.gz>]',
  options: { out: { type: 'string' } },
  async run({ values }) {
    refuseOnServer();
    const config = loadConfig();
    if (!fs.existsSync(path.join(config.dataDir, 'pgdata'))) throw new UsageError(`No embedded database in ${config.dataDir}`);
    const out = path.resolve(typeof values.out === 'string' ? values.out : path.join(config.dataDir, 'backups', `ingang-${timestamp()}.tar.gz`));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const handle = await openDatabase({ dataDir: config.dataDir });
    try {
      const blob = await handle.dump!('gzip');
      const tmp = `${out}.partial`;
      fs.writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
      fs.renameSync(tmp, out);
    } finally {
      await handle.close();
    }
    console.log(`Backup written: ${out} (${fs.statSync(out).size} bytes)`);
  },
};

/** `restore`: replaces the embedded database with a backup; the current one is kept aside, never deleted. */
export const restoreCommand: Command = {
  name: 'restore',
  summary: 'Restore the embedded database from a backup file (the current data is moved aside)',
  usage: 'restore <file.tar.gz>',
  options: {},
  allowPositionals: true,
  async run({ positionals }) {
    refuseOnServer();
    const [file] = positionals;
    if (!file) throw new UsageError('restore needs the backup file');
    if (!fs.existsSync(file)) throw new UsageError(`No such file: ${file}`);
    const config = loadConfig();
    const release = acquireDataDirLock(config.dataDir);
    const pgdata = path.join(config.dataDir, 'pgdata');
    const aside = `${pgdata}.before-restore-${timestamp()}`;
    try {
      if (fs.existsSync(pgdata)) fs.renameSync(pgdata, aside);
    } finally {
      release();
    }
    try {
      const handle = await openDatabase({ dataDir: config.dataDir, loadDataDir: new Blob([fs.readFileSync(file)]) });
      try {
        await migrateToLatest(handle.db);
        const row = await handle.db.selectFrom('cases').select(handle.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        console.log(`Restored ${file}: ${row.n} cases.${fs.existsSync(aside) ? ` The previous database is kept in ${aside}.` : ''}`);
      } finally {
        await handle.close();
      }
    } catch (error) {
      fs.rmSync(pgdata, { recursive: true, force: true });
      if (fs.existsSync(aside)) fs.renameSync(aside, pgdata);
      throw error;
    }
  },
};
