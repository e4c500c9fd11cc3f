import path from 'node:path';

/** Typed runtime configuration, read once from the environment and validated. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  smtpUrl: string | undefined;
  publicBaseUrl: string;
  sessionSecret: string | undefined;
  /** Days after closing in which a citizen may say "not fixed" and reopen a case (REOPEN_DAYS). */
  reopenDays: number;
  /** Optional raster tile URL template for the citizen map, e.g. https://tiles.example/{z}/{x}/{y}.png (MAP_TILE_URL). */
  mapTileUrl: string | undefined;
}

/** A configuration value that cannot be used; its message names the variable and what it expects. */
export class ConfigError extends Error {
  constructor(variable: string, expected: string, got: string) {
    super(`Invalid ${variable}=${JSON.stringify(got)}: expected ${expected}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function readPort(env: NodeJS.ProcessEnv): number {
  const raw = env.PORT;
  if (raw === undefined || raw === '') return 3000;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 0 || port > 65535) {
    throw new ConfigError('PORT', 'a whole number from 0 to 65535', raw);
  }
  return port;
}

function readUrl(env: NodeJS.ProcessEnv, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `a URL starting with ${protocols.join(' or ')}`, raw);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `a URL starting with ${protocols.join(' or ')}`, raw);
  }
  return raw;
}

/** Reads and validates the configuration; throws ConfigError on the first bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = readPort(env);
  const host = env.HOST && env.HOST !== '' ? env.HOST : '127.0.0.1';
  if (/\s|\//.test(host)) throw new ConfigError('HOST', 'a host name or IP address', host);
  const dataDirRaw = env.DATA_DIR && env.DATA_DIR !== '' ? env.DATA_DIR : './data';
  const logLevelRaw = env.LOG_LEVEL && env.LOG_LEVEL !== '' ? env.LOG_LEVEL : 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevelRaw)) {
    throw new ConfigError('LOG_LEVEL', `one of ${LOG_LEVELS.join(', ')}`, logLevelRaw);
  }
  const databaseUrl = readUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const smtpUrl = readUrl(env, 'SMTP_URL', ['smtp:', 'smtps:']);
  const publicBaseUrl =
    readUrl(env, 'PUBLIC_BASE_URL', ['http:', 'https:']) ?? `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  const sessionSecret = env.SESSION_SECRET && env.SESSION_SECRET !== '' ? env.SESSION_SECRET : undefined;
  if (sessionSecret !== undefined && sessionSecret.length < 32) {
    throw new ConfigError('SESSION_SECRET', 'at least 32 characters', '<hidden>');
  }
  const reopenRaw = env.REOPEN_DAYS && env.REOPEN_DAYS !== '' ? env.REOPEN_DAYS : '28';
  if (!/^\d{1,4}$/.test(reopenRaw)) throw new ConfigError('REOPEN_DAYS', 'a whole number of days from 0 to 9999', reopenRaw);
  const mapTileUrl = readUrl(env, 'MAP_TILE_URL', ['http:', 'https:']);
  if (mapTileUrl && !/\{z\}.*\{x\}.*\{y\}/.test(mapTileUrl)) throw new ConfigError('MAP_TILE_URL', 'a URL template with {z}, {x} and {y}', mapTileUrl);
  return {
    port,
    host,
    dataDir: path.resolve(dataDirRaw),
    databaseUrl,
    logLevel: logLevelRaw as Config['logLevel'],
    smtpUrl,
    publicBaseUrl: publicBaseUrl.replace(/\/$/, ''),
    sessionSecret,
    reopenDays: Number(reopenRaw),
    mapTileUrl,
  };
}
