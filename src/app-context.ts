import type { Kysely } from 'kysely';
import type { Config } from './config.js';
import type { Database } from './db/types.js';
import type { DatabaseKind } from './db/connection.js';
import type { RoutingService } from './routing/service.js';
import type { CaseService } from './cases/service.js';
import type { ReferenceCache } from './shared/reference-cache.js';
import type { StaffSession } from './staff/auth.js';

/** What every module's routes may use; built once in main and in tests. */
export interface AppContext {
  db: Kysely<Database>;
  dbKind: DatabaseKind;
  config: Config;
  routing: RoutingService;
  /** Reference data this process read, valid until reference_version moves. */
  reference: ReferenceCache;
  cases: CaseService;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
  interface FastifyRequest {
    staff: StaffSession | null;
  }
}
