import type { Kysely } from 'kysely';
import type { Database } from '../db/types.js';

/** Services with their group's names joined in; the finders below narrow it. */
function servicesWithGroup(db: Kysely<Database>) {
  return db
    .selectFrom('services')
    .innerJoin('service_groups', 'service_groups.code', 'services.group_code')
    .selectAll('services')
    .select(['service_groups.name_sv as group_name_sv', 'service_groups.name_en as group_name_en']);
}

/** A service by its Open311 code, with its group's names. */
export async function findServiceByCode(db: Kysely<Database>, serviceCode: string) {
  return servicesWithGroup(db).where('services.service_code', '=', serviceCode).executeTakeFirst();
}

/** A service by id, with its group's names. */
export async function findServiceById(db: Kysely<Database>, id: number) {
  return servicesWithGroup(db).where('services.id', '=', id).executeTakeFirst();
}

/** All active services, in catalogue order. */
export async function listActiveServices(db: Kysely<Database>) {
  return servicesWithGroup(db)
    .select('service_groups.sort_order as group_sort')
    .where('services.active', '=', true)
    .orderBy('service_groups.sort_order')
    .orderBy('services.sort_order')
    .orderBy('services.service_code')
    .execute();
}

export type ServiceWithGroup = NonNullable<Awaited<ReturnType<typeof findServiceByCode>>>;
