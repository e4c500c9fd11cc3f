import { loadConfig } from '../config.js';
import type { DatabaseHandle } from '../db/connection.js';
import { openContext } from '../bootstrap.js';
import { seedDemo } from '../seed/demo.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../apikeys/service.js';
import { serveCommand } from './serve.js';
import { backupCommand, restoreCommand } from './backup.js';
import { auditCommand } from '../audit/cli.js';
import { retentionCommand } from '../retention/cli.js';
import { assetsCommand } from '../assets/cli.js';
import { importCommand } from '../import/command.js';
import { gdprExportCommand } from '../records/cli.js';
import { UsageError, type Command } from './registry.js';

/** Opens the configured database (refusing if the server holds the embedded one), runs `fn`, closes. */
async function withContext<T>(fn: (ctx: Awaited<ReturnType<typeof openContext>>['ctx'], handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const { ctx, handle } = await openContext(loadConfig());
  try {
    return await fn(ctx, handle);
  } finally {
    await handle.close();
  }
}

const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Apply pending database migrations and load reference data',
  usage: 'migrate',
  options: {},
  async run() {
    const { handle, migrated, referenceLoaded } = await openContext(loadConfig());
    await handle.close();
    console.log(migrated.length ? `Applied: ${migrated.join(', ')}` : 'Database is up to date.');
    if (referenceLoaded) console.log('Loaded the 290 municipalities, 21 counties and postal codes.');
  },
};

const seedCommand: Command = {
  name: 'seed',
  summary: 'Load the demo organisations, agreements, users and cases (idempotent)',
  usage: 'seed',
  options: {},
  async run() {
    const result = await withContext((ctx, handle) => handle.exclusive(() => seedDemo(ctx)));
    console.log(result.alreadySeeded ? 'The demo was already seeded; nothing changed.' : `Seeded the demo with ${result.cases} cases.`);
  },
};

const apiKeyCommand: Command = {
  name: 'api-key',
  summary: 'Manage API keys of client applications: create, list, revoke',
  usage: 'api-key create --name <label> [--organisation <kommunkod|slug>] [--rate-limit <per minute>]\n       api-key list\n       api-key revoke <id|prefix>',
  options: { name: { type: 'string' }, organisation: { type: 'string' }, 'rate-limit': { type: 'string' } },
  allowPositionals: true,
  async run({ values, positionals }) {
    const [action, target] = positionals;
    if (action === 'create') {
      const name = values.name;
      if (typeof name !== 'string' || !name.trim()) throw new UsageError('api-key create needs --name <label>');
      const rate = values['rate-limit'] === undefined ? undefined : Number(values['rate-limit']);
      if (rate !== undefined && (!Number.isInteger(rate) || rate <= 0)) throw new UsageError('--rate-limit must be a positive whole number');
      const created = await withContext(async (ctx) => {
        let organisationId: number | null = null;
        const org = values.organisation;
        if (typeof org === 'string') {
          const row = await ctx.db
            .selectFrom('organisations')
            .select('id')
            .where((eb) => eb.or([eb('slug', '=', org), eb('municipality_code', '=', org)]))
            .executeTakeFirst();
          if (!row) throw new UsageError(`--organisation: no organisation "${org}"`);
          organisationId = row.id;
        }
        return createApiKey(ctx.db, { name, organisationId, rateLimitPerMinute: rate });
      });
      console.log(`Created API key #${created.id} "${created.name}". Store it now; it is not shown again:`);
      console.log(created.key);
      return;
    }
    if (action === 'list') {
      const keys = await withContext((ctx) => listApiKeys(ctx.db));
      for (const k of keys) console.log(`${k.id}\t${k.key_prefix}\t${k.revoked_at ? 'revoked' : 'active'}\t${k.name}`);
      return;
    }
    if (action === 'revoke') {
      if (!target) throw new UsageError('api-key revoke needs an id or prefix');
      const n = await withContext((ctx) => revokeApiKey(ctx.db, target));
      console.log(n ? `Revoked ${n} key.` : `No active key ${target}.`);
      return n ? 0 : 1;
    }
    throw new UsageError(action ? `unknown api-key action "${action}"` : 'api-key needs an action: create, list or revoke');
  },
};

/** Every CLI command. */
export const COMMANDS: Command[] = [serveCommand, migrateCommand, seedCommand, apiKeyCommand, backupCommand, restoreCommand, auditCommand, retentionCommand, assetsCommand, importCommand, gdprExportCommand];
