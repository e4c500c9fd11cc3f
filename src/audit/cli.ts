import { loadConfig } from '../config.js';
import { openContext } from '../bootstrap.js';
import { UsageError, type Command } from '../cli/registry.js';
import { verifyAuditLog } from './service.js';

/** `audit verify`: recomputes the hash chains; exit 1 when any entry was tampered with. */
export const auditCommand: Command = {
  name: 'audit',
  summary: 'Verify the hash-chained audit log',
  usage: 'audit verify',
  options: {},
  allowPositionals: true,
  async run({ positionals }) {
    if (positionals[0] !== 'verify') throw new UsageError('audit needs the action "verify"');
    const { ctx, handle } = await openContext(loadConfig());
    try {
      const result = await verifyAuditLog(ctx.db);
      if (result.broken.length === 0) {
        console.log(`Audit log intact: ${result.entries} entries in ${result.chains} chains.`);
        return 0;
      }
      for (const b of result.broken.slice(0, 50)) console.log(`chain ${b.chain} entry ${b.seq}: ${b.reason}`);
      console.log(`Audit log BROKEN: ${result.broken.length} problems in ${result.entries} entries.`);
      return 1;
    } finally {
      await handle.close();
    }
  },
};
