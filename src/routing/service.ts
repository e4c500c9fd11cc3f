import type { Kysely } from 'kysely';
import type { AreaKind, Database, RoutingDecision } from '../db/types.js';
import { AreaIndex, withinSwedenExtent, type IndexedArea } from '../geo/area-index.js';
import { AppError, badInput } from '../shared/errors.js';
import { cached, type ReferenceView } from '../shared/reference-cache.js';
import { chooseResponsibility, explain } from './engine.js';
import type { NormalisedLocation } from './location.js';
import { areasSignature, findCandidateResponsibilities, findMunicipalityOrganisation, loadIndexedAreas, municipalityOfPostalCode } from './repo.js';

/** The service being routed, as routing needs it. */
export interface RoutableService {
  id: number;
  service_code: string;
  group_code: string;
  name_sv: string;
  name_en: string;
  group_name_sv: string;
  group_name_en: string;
}

/** Where a location lies: its municipality and every area around it. */
export interface Placement {
  municipality_code: string;
  areas: IndexedArea[];
  located_by: RoutingDecision['located_by'];
}

// Building an Intl formatter costs far more than formatting; this runs on every routed case.
const SWEDISH_DATE = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today as 'YYYY-MM-DD' in Swedish time, the calendar agreements are written in. */
export function swedishDate(at: Date = new Date()): string {
  return SWEDISH_DATE.format(at);
}

/**
 * Place + service → responsible body. Holds the area index in memory (built at start, rebuilt by
 * refresh() when areas change) and reads responsibilities from the database on each decision, so a
 * changed agreement applies to the next case at once.
 *
 * Several processes may share one PostgreSQL: the process that changes areas calls refresh(); every
 * other process notices within `areaCheckIntervalMs`, because place() compares the areas' count and
 * latest updated_at (one cheap query, at most once per interval) with those its index was built from.
 */
export class RoutingService {
  private index = new AreaIndex([]);
  private signature = '';
  private checkedAt = 0;
  private readonly areaCheckIntervalMs: number;

  constructor(private readonly db: Kysely<Database>, options: { areaCheckIntervalMs?: number } = {}) {
    this.areaCheckIntervalMs = options.areaCheckIntervalMs ?? 5000;
  }

  /** Rebuilds the area index from the database. */
  async refresh(db: Kysely<Database> = this.db): Promise<void> {
    const signature = await areasSignature(db);
    this.index = new AreaIndex(await loadIndexedAreas(db));
    this.signature = signature;
    this.checkedAt = Date.now();
  }

  /** Rebuilds the index when another process changed the areas; checks at most once per interval. */
  async refreshIfChanged(db: Kysely<Database> = this.db): Promise<boolean> {
    if (Date.now() - this.checkedAt < this.areaCheckIntervalMs) return false;
    this.checkedAt = Date.now();
    if ((await areasSignature(db)) === this.signature) return false;
    await this.refresh(db);
    return true;
  }

  get areaIndex(): AreaIndex {
    return this.index;
  }

  /** Finds the municipality and areas of a location: by point, else postal code, else the chosen municipality. */
  async place(location: NormalisedLocation, db: Kysely<Database> = this.db): Promise<Placement> {
    await this.refreshIfChanged(db);
    if (location.lat !== null && location.lon !== null) {
      const areas = this.index.containing(location.lon, location.lat);
      const municipality = areas.find((a) => a.kind === 'municipality');
      if (!municipality) {
        if (!withinSwedenExtent(location.lon, location.lat)) {
          throw new AppError({
            status: 400, code: 'outside_sweden', field: 'lat',
            message: `lat/long (${location.lat}, ${location.lon}) is outside Sweden; Ingång only handles places in Swedish municipalities`,
            message_sv: `Platsen (${location.lat}, ${location.lon}) ligger utanför Sverige; Ingång tar bara emot ärenden i svenska kommuner`,
          });
        }
        throw new AppError({
          status: 400, code: 'not_in_municipality', field: 'lat',
          message: `lat/long (${location.lat}, ${location.lon}) is not inside any Swedish municipality (at sea or across the border); move the pin onto land`,
          message_sv: `Platsen (${location.lat}, ${location.lon}) ligger inte i någon svensk kommun (till havs eller utanför gränsen); flytta nålen till land`,
        });
      }
      return { municipality_code: municipality.code, areas, located_by: 'point' };
    }
    if (location.postal_code) {
      const code = await municipalityOfPostalCode(db, location.postal_code);
      if (!code) {
        throw badInput(location.address && !location.postal_code ? 'address_string' : 'postal_code',
          `postal code ${location.postal_code} is unknown`, `postnumret ${location.postal_code} finns inte`);
      }
      return { municipality_code: code, areas: this.municipalityAreas(code), located_by: 'postal_code' };
    }
    if (location.municipality_code) {
      const areas = this.municipalityAreas(location.municipality_code);
      if (areas.length === 0) {
        throw badInput('municipality_code', `${location.municipality_code} is not a Swedish kommunkod`, `${location.municipality_code} är ingen svensk kommunkod`);
      }
      return { municipality_code: location.municipality_code, areas, located_by: 'municipality' };
    }
    throw new AppError({
      status: 400, code: 'location_required', field: 'lat',
      message: 'a location is required: lat and long, an address with a postal code, or a municipality',
      message_sv: 'ange en plats: koordinater, en adress med postnummer eller en kommun',
    });
  }

  private municipalityAreas(code: string): IndexedArea[] {
    return this.index.byKind('municipality').filter((a) => a.code === code);
  }

  /**
   * Decides who handles the service at the placement, with the explanation stored on the case. With a
   * synced reference view (a case intake) the responsibilities are read once per area set, service and day.
   */
  async decide(placement: Placement, service: RoutableService, at: Date = new Date(), db: Kysely<Database> = this.db, reference?: ReferenceView | null): Promise<RoutingDecision> {
    const areaIds = placement.areas.map((a) => a.id);
    const day = swedishDate(at);
    const candidates = await cached(reference, `candidates:${areaIds.join(',')}:${service.id}:${day}`, () =>
      findCandidateResponsibilities(db, areaIds, service.id, service.group_code, day));
    const chosen = chooseResponsibility(candidates);
    const municipality = await cached(reference, `municipality-organisation:${placement.municipality_code}`, () =>
      findMunicipalityOrganisation(db, placement.municipality_code));
    const municipalityName = municipality?.name_short ?? placement.municipality_code;
    if (!chosen) {
      const contact = [municipality?.contact_phone, municipality?.contact_email, municipality?.website].filter(Boolean).join(', ');
      throw new AppError({
        status: 400, code: 'no_responsibility', field: 'service_code',
        message: `No body handles "${service.name_en}" (${service.service_code}) in ${municipalityName} through Ingång` +
          (municipality ? `; contact ${municipality.name_en}${contact ? ` (${contact})` : ''} instead` : ''),
        message_sv: `Ingen tar emot ärenden om "${service.name_sv}" i ${municipalityName} via Ingång` +
          (municipality ? `; kontakta ${municipality.name_sv}${contact ? ` (${contact})` : ''} i stället` : ''),
        details: { municipality_code: placement.municipality_code },
      });
    }
    const serviceLabel =
      chosen.service_match === 3
        ? { sv: service.name_sv, en: service.name_en }
        : { sv: service.group_name_sv, en: service.group_name_en };
    const words = explain({
      municipalityName,
      areaName: chosen.area_name,
      areaIsMunicipality: chosen.area_kind === 'municipality',
      serviceLabelSv: serviceLabel.sv,
      serviceLabelEn: serviceLabel.en,
      providerSv: chosen.provider_name_sv,
      providerEn: chosen.provider_name_en,
      kind: chosen.kind,
      reference: chosen.reference,
    });
    return {
      responsibility_id: chosen.responsibility_id,
      provider_organisation_id: chosen.provider_organisation_id,
      unit_id: chosen.unit_id,
      area_id: chosen.area_id,
      area_kind: chosen.area_kind as AreaKind,
      municipality_code: placement.municipality_code,
      located_by: placement.located_by,
      kind: chosen.kind,
      reference: chosen.reference,
      explanation_sv: words.sv,
      explanation_en: words.en,
      decided_at: at.toISOString(),
    };
  }
}
