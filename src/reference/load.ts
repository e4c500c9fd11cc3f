import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/types.js';
import { assignCasePrefixes } from './case-prefixes.js';
import { bboxOf, readMunicipalityFeatures, readReferenceCsv } from './files.js';

export interface ReferenceCounts {
  counties: number;
  municipalities: number;
  postalCodes: number;
  areas: number;
}

async function insertInBatches<T>(rows: T[], size: number, insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/**
 * Loads counties, municipalities (with 2016 population), postal codes and municipality polygons,
 * and makes every municipality an organisation that is responsible for all services in its own area.
 * Idempotent: existing rows are updated, nothing is duplicated.
 */
export async function loadReferenceData(db: Kysely<Database>): Promise<ReferenceCounts> {
  const counties = readReferenceCsv('counties.csv');
  const municipalities = readReferenceCsv('municipalities.csv');
  const population = new Map(readReferenceCsv('population-2016.csv').map((r) => [r.municipality_code, r]));
  const postal = readReferenceCsv('postal_to_municipality.csv');
  const features = readMunicipalityFeatures();
  const prefixes = assignCasePrefixes(municipalities.map((m) => ({ code: m.municipality_code, name_short: m.municipality_name_short })));
  const knownCodes = new Set(municipalities.map((m) => m.municipality_code));

  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('counties')
      .values(counties.map((c) => ({ code: c.county_code, name: c.county_name, name_short: c.county_name_short })))
      .onConflict((oc) => oc.column('code').doUpdateSet({ name: sql`excluded.name`, name_short: sql`excluded.name_short` }))
      .execute();
    await trx
      .insertInto('municipalities')
      .values(
        municipalities.map((m) => {
          const p = population.get(m.municipality_code);
          return {
            code: m.municipality_code,
            name: m.municipality_name,
            name_short: m.municipality_name_short,
            county_code: m.county_code,
            population_2016: p ? Number(p.population_2016_12_31) : null,
            land_area_km2: p ? Number(p.land_area_km2) : null,
          };
        }),
      )
      .onConflict((oc) =>
        oc.column('code').doUpdateSet({
          name: sql`excluded.name`,
          name_short: sql`excluded.name_short`,
          county_code: sql`excluded.county_code`,
          population_2016: sql`excluded.population_2016`,
          land_area_km2: sql`excluded.land_area_km2`,
        }),
      )
      .execute();
    const postalRows = postal
      .filter((p) => /^\d{5}$/.test(p.postal_code) && knownCodes.has(p.municipality_code))
      .map((p) => ({ postal_code: p.postal_code, locality: p.locality, municipality_code: p.municipality_code }));
    await insertInBatches(postalRows, 2000, (batch) =>
      trx
        .insertInto('postal_codes')
        .values(batch)
        .onConflict((oc) =>
          oc.column('postal_code').doUpdateSet({ locality: sql`excluded.locality`, municipality_code: sql`excluded.municipality_code` }),
        )
        .execute(),
    );
    await insertInBatches(features, 50, (batch) =>
      trx
        .insertInto('areas')
        .values(
          batch.map((f) => {
            const [minLon, minLat, maxLon, maxLat] = bboxOf(f.geometry);
            return {
              kind: 'municipality' as const,
              code: f.code,
              name: f.name,
              municipality_code: f.code,
              geometry: JSON.stringify(f.geometry),
              min_lon: minLon,
              min_lat: minLat,
              max_lon: maxLon,
              max_lat: maxLat,
            };
          }),
        )
        .onConflict((oc) =>
          oc.columns(['kind', 'code']).doUpdateSet({
            name: sql`excluded.name`,
            geometry: sql`excluded.geometry`,
            min_lon: sql`excluded.min_lon`,
            min_lat: sql`excluded.min_lat`,
            max_lon: sql`excluded.max_lon`,
            max_lat: sql`excluded.max_lat`,
            updated_at: sql`now()`,
          }),
        )
        .execute(),
    );
    await trx
      .insertInto('organisations')
      .values(
        municipalities.map((m) => ({
          slug: `kommun-${m.municipality_code}`,
          kind: 'municipality' as const,
          name_sv: m.municipality_name,
          name_en: `${m.municipality_name_short} Municipality`,
          case_prefix: prefixes.get(m.municipality_code)!,
          municipality_code: m.municipality_code,
        })),
      )
      .onConflict((oc) => oc.column('slug').doUpdateSet({ name_sv: sql`excluded.name_sv`, name_en: sql`excluded.name_en` }))
      .execute();
    // Each municipality gets a default unit and its own all-services responsibility, once.
    await sql`
      insert into units (organisation_id, name_sv, name_en, is_default)
      select o.id, 'Ärendemottagning', 'Case intake', true
      from organisations o
      where o.kind = 'municipality' and not exists (select 1 from units u where u.organisation_id = o.id and u.is_default)
    `.execute(trx);
    await sql`
      with missing as (
        select o.id as organisation_id, a.id as area_id, o.name_sv
        from organisations o
        join areas a on a.kind = 'municipality' and a.code = o.municipality_code
        where o.kind = 'municipality'
          and not exists (
            select 1 from responsibilities r join responsibility_areas ra on ra.responsibility_id = r.id
            where r.provider_organisation_id = o.id and r.kind = 'own' and ra.area_id = a.id)
      ), created as (
        insert into responsibilities (provider_organisation_id, kind, title, all_services)
        select organisation_id, 'own', name_sv || ': eget ansvar', true from missing
        returning id, provider_organisation_id
      )
      insert into responsibility_areas (responsibility_id, area_id)
      select c.id, m.area_id from created c join missing m on m.organisation_id = c.provider_organisation_id
    `.execute(trx);
  });

  const count = async (table: 'counties' | 'municipalities' | 'postal_codes' | 'areas') =>
    Number((await db.selectFrom(table).select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return {
    counties: await count('counties'),
    municipalities: await count('municipalities'),
    postalCodes: await count('postal_codes'),
    areas: await count('areas'),
  };
}
