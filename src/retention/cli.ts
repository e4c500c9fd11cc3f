import { loadConfig } from '../config.js';
import { openContext } from '../bootstrap.js';
import { UsageError, type Command } from '../cli/registry.js';
import { runRetention } from './service.js';

/** `retention run`: disposes now of what the retention rules say is due (the server also runs it daily). */
export const retentionCommand: Command = {
  name: 'retention',
  summary: 'Run retention (gallring): anonymise reporter data and dispose of photos that are due',
  usage: 'retention run [--now <ISO date>]',
  options: { now: { type: 'string' } },
  allowPositionals: true,
  async run({ positionals, values }) {
    if (positionals[0] !== 'run') throw new UsageError('retention needs the action "run"');
    const now = typeof values.now === 'string' ? new Date(values.now) : new Date();
    if (Number.isNaN(now.getTime())) throw new UsageError('--now must be an ISO 8601 date, e.g. 2027-01-31');
    const { ctx, handle } = await openContext(loadConfig());
    try {
      const r = await runRetention(ctx, now);
      console.log(`Anonymised reporter data of ${r.anonymisedCases} cases, disposed of ${r.disposedPhotos} photos, ${r.heldBack} held back by legal hold.`);
    } finally {
      await handle.close();
    }
  },
};
