import { spawn, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';

/** Waits until `url` answers 200, or throws after `timeoutMs`; returns the milliseconds it took. */
export async function waitForHttp(url: string, timeoutMs: number, started = performance.now()): Promise<number> {
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return performance.now() - started;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > timeoutMs) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A child process of the bench (app server or reference); stop() ends it and its own children. */
export interface Started {
  child: ChildProcess;
  readyMs: number;
  stop(): Promise<void>;
}

/** Starts a command in its own process group and waits for `readyUrl`. */
export async function startProcess(command: string, args: string[], env: Record<string, string>, readyUrl: string, timeoutMs = 120_000): Promise<Started> {
  const started = performance.now();
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr}`))));
  const readyMs = await Promise.race([waitForHttp(readyUrl, timeoutMs, started), exited]);
  exited.catch(() => {});
  return {
    child,
    readyMs,
    stop: async () => {
      if (child.exitCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid!, 'SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    },
  };
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  ok: number;
  errors: number;
}

/** Runs autocannon and returns throughput and latency; counts non-2xx answers as errors. */
export async function load(options: autocannon.Options): Promise<LoadResult> {
  const result = await autocannon({ timeout: 30, ...options });
  const ok = result['2xx'];
  return {
    requestsPerSecond: ok / (result.duration || 1),
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    errors: result.non2xx + result.errors + result.timeouts,
  };
}
