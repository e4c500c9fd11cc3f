import type { Kysely } from 'kysely';
import type { Database } from '../db/types.js';
import { NATIONAL_SERVICES, SERVICE_GROUPS } from './national-catalogue.js';

/**
 * Adds the national service catalogue's groups and services that are missing. Existing rows are left
 * alone so that an administrator's edits survive restarts. Idempotent.
 */
export async function loadNationalCatalogue(db: Kysely<Database>): Promise<void> {
  await db
    .insertInto('service_groups')
    .values(SERVICE_GROUPS.map((g) => ({ code: g.code, name_sv: g.name_sv, name_en: g.name_en, sort_order: g.sort_order })))
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
  await db
    .insertInto('services')
    .values(
      NATIONAL_SERVICES.map((s) => ({
        service_code: s.service_code,
        group_code: s.group_code,
        name_sv: s.name_sv,
        name_en: s.name_en,
        description_sv: s.description_sv,
        description_en: s.description_en,
        keywords_sv: s.keywords_sv,
        keywords_en: s.keywords_en,
        attributes: JSON.stringify(s.attributes),
        default_priority: s.default_priority,
        sla_tiers: JSON.stringify(s.sla_tiers),
        retention_class: s.retention_class,
        sensitive_location: s.sensitive_location,
        knowledge_sv: s.knowledge_sv,
        knowledge_en: s.knowledge_en,
        sort_order: s.sort_order,
      })),
    )
    .onConflict((oc) => oc.column('service_code').doNothing())
    .execute();
}
