import cluster from 'node:cluster';

const INDEX_VARIABLE = 'INGANG_WORKER_INDEX';

/** This process's place among `serve --workers N` workers (0…N-1), or null when it is not one. */
export function workerIndex(): number | null {
  return cluster.isWorker && process.env[INDEX_VARIABLE] !== undefined ? Number(process.env[INDEX_VARIABLE]) : null;
}

/**
 * The primary of `serve --workers N`: forks N workers that run `serve` on the same port (node:cluster
 * hands connections out round robin), prints `banner(port)` once all listen, replaces a worker that
 * dies, and on SIGTERM/SIGINT stops them all. Never resolves.
 */
export function runCluster(workers: number, banner: (port: number) => string): Promise<never> {
  let ready = 0;
  let stopping = false;
  const fork = (index: number) => {
    const worker = cluster.fork({ [INDEX_VARIABLE]: String(index) });
    worker.on('message', (message: { ready?: number }) => {
      if (message?.ready !== undefined && ++ready === workers) process.stdout.write(banner(message.ready));
    });
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      console.error(`worker ${index} exited (${signal ?? code}); starting a new one`);
      setTimeout(() => fork(index), 1000);
    });
  };
  for (let i = 0; i < workers; i++) fork(i);
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    let left = Object.keys(cluster.workers ?? {}).length;
    if (left === 0) process.exit(0);
    cluster.on('exit', () => {
      if (--left <= 0) process.exit(0);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return new Promise<never>(() => {});
}
