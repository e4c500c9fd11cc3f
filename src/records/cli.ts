import fs from 'node:fs';
import { loadConfig } from '../config.js';
import { openContext } from '../bootstrap.js';
import { UsageError, type Command } from '../cli/registry.js';
import { appendAudit, PLATFORM_CHAIN } from '../audit/service.js';
import { gdprExport } from './service.js';

/** `gdpr-export --email x [--out file]`: everything held about an address, across all organisations, as JSON. */
export const gdprExportCommand: Command = {
  name: 'gdpr-export',
  summary: 'GDPR access export: everything held about an e-mail address, in every organisation (JSON)',
  usage: 'gdpr-export --email <address> [--out <file.json>]',
  options: { email: { type: 'string' }, out: { type: 'string' } },
  async run({ values }) {
    const email = values.email;
    if (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email.trim())) throw new UsageError('gdpr-export needs --email <address>');
    const { ctx, handle } = await openContext(loadConfig());
    try {
      const result = await gdprExport(ctx.db, email, null);
      await ctx.db.transaction().execute((trx) => appendAudit(trx, {
        chain: PLATFORM_CHAIN, actor_label: 'cli', action: 'gdpr.exported', subject_type: 'email', subject_id: 'redacted',
        details: { reporter_records: result.reporter_records.length, cases: result.cases.length },
      }));
      const json = JSON.stringify(result, null, 2);
      if (typeof values.out === 'string') {
        fs.writeFileSync(values.out, `${json}\n`, { mode: 0o600 });
        console.error(`Wrote ${values.out}: ${result.reporter_records.length} reporter records, ${result.cases.length} cases, ${result.subscriptions.length} subscriptions.`);
      } else {
        console.log(json);
      }
    } finally {
      await handle.close();
    }
  },
};
