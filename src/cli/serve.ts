import { loadConfig } from '../config.js';
import { openContext } from '../bootstrap.js';
import { buildApp } from '../app.js';
import { seedDemo } from '../seed/demo.js';
import { DEMO_PASSWORD } from '../seed/demo-data.js';
import { openFromDemoImage } from '../seed/demo-image.js';
import { startOutboxWorker } from '../outbox/service.js';
import { startOpen311Poller } from '../open311/forward.js';
import { scheduleRetention } from '../retention/service.js';
import { UsageError, type Command } from './registry.js';
import { runCluster, workerIndex } from './cluster.js';

/** Starts the server: migrate, load reference data, seed the demo on first start, listen. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'Start the web server (migrates, loads reference data, seeds the demo on first start)',
  usage: 'serve [--no-seed] [--workers N]',
  options: { 'no-seed': { type: 'boolean' }, workers: { type: 'string' } },
  async run({ values }) {
    const started = Date.now();
    const config = loadConfig();
    const workers = values.workers === undefined ? 1 : Number(values.workers);
    if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new UsageError('--workers must be a whole number from 1 to 64');
    if (workers > 1 && !config.databaseUrl) {
      throw new UsageError('--workers > 1 needs a PostgreSQL server (set DATABASE_URL): the embedded PGlite database belongs to one process, which owns its data directory');
    }
    const index = workerIndex();
    if (workers > 1 && index === null) {
      // The primary migrates and seeds once, then forks workers that share the port (node:cluster).
      const { ctx, handle } = await openContext(config);
      const seed = values['no-seed'] ? null : await handle.exclusive(() => seedDemo(ctx));
      await handle.close();
      return runCluster(workers, (port) => readyBanner(config, 'PostgreSQL', port, started, seed, `${workers} worker processes`));
    }
    const image = !config.databaseUrl && !values['no-seed'] ? await openFromDemoImage(config.dataDir) : null;
    const { ctx, handle } = await openContext(config, image ? { handle: image } : {});
    const app = await buildApp(ctx, { logger: { level: config.logLevel } });
    let seed = null;
    if (!values['no-seed'] && index === null) seed = await handle.exclusive(() => seedDemo(ctx));
    const worker = startOutboxWorker(ctx);
    // Pollers and schedules run in one process only; the outbox runs in all (SKIP LOCKED shares it out).
    const schedules = index === null || index === 0;
    const open311Poller = schedules ? startOpen311Poller(ctx, { onError: (error) => app.log.warn({ err: error }, 'open311 poll failed') }) : null;
    const retention = schedules ? scheduleRetention(ctx, (message) => app.log.info(message)) : null;
    let closing = false;
    const shutdown = async (signal: string) => {
      if (closing) return;
      closing = true;
      app.log.info({ signal }, 'shutting down');
      try {
        await app.close();
        open311Poller?.stop();
        retention?.stop();
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
    if (index !== null) process.send?.({ ready: port });
    else process.stdout.write(readyBanner(config, ctx.dbKind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL', port, started, seed, undefined, image !== null));
    return new Promise<number>(() => {});
  },
};

function readyBanner(
  config: ReturnType<typeof loadConfig>, database: string, port: number, started: number,
  seed: Awaited<ReturnType<typeof seedDemo>> | null, processes?: string, fromImage = false,
): string {
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  const lines = [
    '',
    `Ingång is ready at ${url}  (database: ${database}${processes ? `; ${processes}` : ''}; ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    `  Citizen pages: ${url}/    Staff app: ${url}/staff/    API docs: ${url}/docs    Open311: ${url}/open311/v2/discovery.xml`,
  ];
  if (seed) {
    const how = fromImage ? '  Loaded the demo (organisations, agreements, staff and cases) from the install-time image.'
      : seed.alreadySeeded ? '  Demo data was seeded earlier.' : `  Seeded the demo: ${seed.cases} cases.`;
    lines.push(how);
    lines.push(`  Demo log-ins (password "${DEMO_PASSWORD}"):`);
    for (const u of seed.users) lines.push(`    ${u.email.padEnd(30)} ${u.organisations}`);
  }
  return lines.join('\n') + '\n\n';
}
