import { loadConfig } from '../config.js';
import { openContext } from '../bootstrap.js';
import { buildApp } from '../app.js';
import { seedDemo } from '../seed/demo.js';
import { DEMO_PASSWORD } from '../seed/demo-data.js';
import { startOutboxWorker } from '../outbox/service.js';
import { startOpen311Poller } from '../open311/forward.js';
import type { Command } from './registry.js';

/** Starts the server: migrate, load reference data, seed the demo on first start, listen. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'Start the web server (migrates, loads reference data, seeds the demo on first start)',
  usage: 'serve [--no-seed]',
  options: { 'no-seed': { type: 'boolean' } },
  async run({ values }) {
    const started = Date.now();
    const config = loadConfig();
    const { ctx, handle } = await openContext(config);
    const app = await buildApp(ctx, { logger: { level: config.logLevel } });
    let seed = null;
    if (!values['no-seed']) seed = await seedDemo(ctx);
    const worker = startOutboxWorker(ctx);
    const open311Poller = startOpen311Poller(ctx, { onError: (error) => app.log.warn({ err: error }, 'open311 poll failed') });
    let closing = false;
    const shutdown = async (signal: string) => {
      if (closing) return;
      closing = true;
      app.log.info({ signal }, 'shutting down');
      try {
        await app.close();
        open311Poller.stop();
        await worker.stop();
        await handle.close();
      } finally {
        process.exit(0);
      }
    };
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
    process.on('SIGINT', () => void shutdown('SIGINT'));
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
    const lines = [
      '',
      `Ingång is ready at ${url}  (database: ${ctx.dbKind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL'}; ${((Date.now() - started) / 1000).toFixed(1)} s)`,
      `  Citizen pages: ${url}/    Staff app: ${url}/staff/    API docs: ${url}/docs    Open311: ${url}/open311/v2/discovery.xml`,
    ];
    if (seed) {
      lines.push(seed.alreadySeeded ? '  Demo data was seeded earlier.' : `  Seeded the demo: ${seed.cases} cases.`);
      lines.push(`  Demo log-ins (password "${DEMO_PASSWORD}"):`);
      for (const u of seed.users) lines.push(`    ${u.email.padEnd(30)} ${u.organisations}`);
    }
    process.stdout.write(lines.join('\n') + '\n\n');
    return new Promise<number>(() => {});
  },
};
