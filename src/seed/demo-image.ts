import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config.js';
import { openDatabase, type DatabaseHandle } from '../db/connection.js';
import { openContext } from '../bootstrap.js';
import { seedDemo } from './demo.js';

/**
 * A ready-made embedded database (migrated, reference data, demo) built once at `npm install`. A first
 * `npm start` copies it instead of running initdb, migrations and the seed, which makes the cold start a
 * few seconds. Ignored by git; rebuilt by `npm install` or `npm run build`.
 */
export const DEMO_IMAGE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../.cache/demo-db.tar.gz');

/** Builds the image file. */
export async function buildDemoImage(file = DEMO_IMAGE): Promise<number> {
  const handle = await openDatabase({});
  try {
    const { ctx } = await openContext({ ...loadConfig({ LOG_LEVEL: 'silent' }), databaseUrl: undefined }, { handle });
    const seed = await seedDemo(ctx);
    const blob = await handle.dump!('gzip');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(`${file}.partial`, Buffer.from(await blob.arrayBuffer()));
    fs.renameSync(`${file}.partial`, file);
    return seed.cases;
  } finally {
    await handle.close();
  }
}

/** Opens a new embedded data directory from the image, or returns null when there is no image. */
export async function openFromDemoImage(dataDir: string): Promise<DatabaseHandle | null> {
  if (!fs.existsSync(DEMO_IMAGE) || fs.existsSync(path.join(dataDir, 'pgdata'))) return null;
  return openDatabase({ dataDir, loadDataDir: new Blob([fs.readFileSync(DEMO_IMAGE)]) });
}
