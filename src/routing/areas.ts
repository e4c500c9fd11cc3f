import type { Kysely } from 'kysely';
import type { AreaKind, Database } from '../db/types.js';
import { bboxOf } from '../reference/files.js';
import { AppError, badInput, notFound } from '../shared/errors.js';
import { validatePolygonal } from './geojson.js';
import { administeredMunicipalities, findArea } from './repo.js';
import type { RoutingService } from './service.js';

/** Kinds an administrator may draw; municipality borders are reference data. */
export const DRAWN_AREA_KINDS = ['district', 'road_corridor', 'custom'] as const;

export interface AreaInput {
  kind: (typeof DRAWN_AREA_KINDS)[number];
  code: string;
  name: string;
  municipality_code: string;
  geometry: unknown;
}

/** Who is acting: the staff member's active organisation. */
export interface AreaActor {
  organisationId: number;
}

async function assertAdministers(db: Kysely<Database>, actor: AreaActor, municipalityCode: string): Promise<void> {
  const exists = await db.selectFrom('municipalities').select('code').where('code', '=', municipalityCode).executeTakeFirst();
  if (!exists) throw badInput('municipality_code', `${municipalityCode} is not a Swedish kommunkod`, `${municipalityCode} är ingen svensk kommunkod`);
  const mine = await administeredMunicipalities(db, actor.organisationId);
  if (!mine.includes(municipalityCode)) {
    throw new AppError({
      status: 403, code: 'not_your_municipality', field: 'municipality_code',
      message: `municipality_code: your organisation may draw areas only in ${mine.join(', ') || 'no municipality'}`,
      message_sv: `municipality_code: din organisation får bara rita områden i ${mine.join(', ') || 'ingen kommun'}`,
    });
  }
}

function checkText(input: Pick<AreaInput, 'code' | 'name'>): void {
  if (!/^[A-Za-z0-9_.-]{1,60}$/.test(input.code)) throw badInput('code', 'must be 1–60 letters, digits, "-", "_" or "."', 'ska vara 1–60 bokstäver, siffror, "-", "_" eller "."');
  if (input.name.trim().length === 0 || input.name.length > 200) throw badInput('name', 'must be 1–200 characters', 'ska vara 1–200 tecken');
}

/**
 * Districts, road corridors and custom areas drawn by administrators. Every change is one
 * transaction; the in-memory index is rebuilt after commit (other processes notice by their check).
 */
export class AreaAdminService {
  constructor(private readonly db: Kysely<Database>, private readonly routing: RoutingService) {}

  /** Adds an area in a municipality the actor's organisation administers. */
  async create(actor: AreaActor, input: AreaInput): Promise<{ id: number }> {
    checkText(input);
    const geometry = validatePolygonal(input.geometry);
    const [minLon, minLat, maxLon, maxLat] = bboxOf(geometry);
    const created = await this.db.transaction().execute(async (trx) => {
      await assertAdministers(trx, actor, input.municipality_code);
      const clash = await trx.selectFrom('areas').select('id').where('kind', '=', input.kind).where('code', '=', input.code).executeTakeFirst();
      if (clash) throw new AppError({ status: 409, code: 'duplicate_code', field: 'code', message: `code: a ${input.kind} area "${input.code}" exists already`, message_sv: `code: området "${input.code}" finns redan` });
      return trx
        .insertInto('areas')
        .values({
          kind: input.kind, code: input.code, name: input.name.trim(), municipality_code: input.municipality_code,
          geometry: JSON.stringify(geometry), min_lon: minLon, min_lat: minLat, max_lon: maxLon, max_lat: maxLat,
          owner_organisation_id: actor.organisationId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    });
    await this.routing.refresh();
    return created;
  }

  /** Renames or redraws an area; its kind, code and municipality stay. */
  async update(actor: AreaActor, id: number, input: { name?: string; geometry?: unknown }): Promise<void> {
    const geometry = input.geometry === undefined ? undefined : validatePolygonal(input.geometry);
    await this.db.transaction().execute(async (trx) => {
      const area = await findArea(trx, id);
      if (!area) throw notFound('area', id);
      if ((area.kind as AreaKind) === 'municipality') {
        throw new AppError({ status: 403, code: 'reference_area', field: 'id', message: 'Municipality borders are reference data and cannot be edited here', message_sv: 'Kommungränser är referensdata och kan inte ändras här' });
      }
      await assertAdministers(trx, actor, area.municipality_code ?? '');
      if (input.name !== undefined) checkText({ code: area.code, name: input.name });
      const box = geometry ? bboxOf(geometry) : undefined;
      await trx
        .updateTable('areas')
        .set({
          ...(input.name !== undefined ? { name: input.name.trim() } : {}),
          ...(geometry && box ? { geometry: JSON.stringify(geometry), min_lon: box[0], min_lat: box[1], max_lon: box[2], max_lat: box[3] } : {}),
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .execute();
    });
    await this.routing.refresh();
  }
}
