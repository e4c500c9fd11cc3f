import type { Kysely } from 'kysely';
import type { Database } from '../db/types.js';
import { swedishDate } from '../routing/service.js';
import { AppError, badInput, notFound } from '../shared/errors.js';
import { agreementReport, endAgreement, findAgreements, logChange, saveAgreement, type AgreementRow, type StoredAgreement } from './repo.js';
import type { Agreement, AgreementInput, ReportRow } from './schema.js';

/** The administrator acting: user and active organisation. */
export interface AgreementActor {
  userId: number;
  organisationId: number;
}

function isRealDate(value: string): boolean {
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

function checkDate(field: string, value: string): void {
  if (!isRealDate(value)) throw badInput(field, `${value} is not a calendar date (YYYY-MM-DD)`, `${value} är inget datum (ÅÅÅÅ-MM-DD)`);
}

function dayBefore(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** Shapes a stored agreement for the API; status is relative to today in Sweden. */
export function presentAgreement(a: StoredAgreement, today = swedishDate()): Agreement {
  const municipalityAreas = a.areas.filter((x) => x.kind === 'municipality');
  const members = new Map<string, string>();
  for (const area of a.areas) if (area.municipality_code) members.set(area.municipality_code, area.municipality_name ?? area.municipality_code);
  return {
    id: a.id,
    title: a.title,
    reference: a.reference,
    kind: a.kind,
    provider_organisation_id: a.provider_organisation_id,
    provider_name_sv: a.provider_name_sv,
    provider_name_en: a.provider_name_en,
    municipality_codes: municipalityAreas.map((x) => x.code),
    areas: a.areas.filter((x) => x.kind !== 'municipality').map(({ id, kind, code, name, municipality_code }) => ({ id, kind, code, name, municipality_code })),
    member_municipalities: [...members].map(([code, name]) => ({ code, name })).sort((x, y) => x.code.localeCompare(y.code)),
    all_services: a.all_services,
    service_codes: a.service_codes,
    group_codes: a.group_codes,
    valid_from: a.valid_from,
    valid_to: a.valid_to,
    receiving_unit_id: a.receiving_unit_id,
    status: a.valid_from > today ? 'upcoming' : a.valid_to !== null && a.valid_to < today ? 'ended' : 'active',
    updated_at: new Date(a.updated_at).toISOString(),
  };
}

function notParty(): AppError {
  return new AppError({
    status: 403, code: 'not_party', field: 'provider_organisation_id',
    message: 'provider_organisation_id: your organisation must be the provider or one of the member municipalities',
    message_sv: 'provider_organisation_id: din organisation måste vara utföraren eller en av medlemskommunerna',
  });
}

/**
 * Agreements are responsibilities: which body handles which services in which municipalities and
 * areas, of what kind, from when to when. Cases store their own routing decision, so a change here
 * applies to new cases only. Every change is one transaction with an audit row.
 */
export class AgreementService {
  constructor(private readonly db: Kysely<Database>) {}

  /** The agreements the organisation is party to. */
  async list(organisationId: number): Promise<Agreement[]> {
    return (await findAgreements(this.db, { partyOrganisationId: organisationId })).map((a) => presentAgreement(a));
  }

  /** One agreement the organisation is party to (else 404: not ours to see). */
  async get(organisationId: number, id: number, db: Kysely<Database> = this.db): Promise<Agreement> {
    const [found] = await findAgreements(db, { id, partyOrganisationId: organisationId });
    if (!found) throw notFound('agreement', id);
    return presentAgreement(found);
  }

  /** Creates an agreement the actor's organisation is party to. */
  async create(actor: AgreementActor, input: AgreementInput): Promise<Agreement> {
    return this.db.transaction().execute(async (trx) => {
      const { row, links, memberOrganisationIds } = await this.validate(trx, input);
      if (row.provider_organisation_id !== actor.organisationId && !memberOrganisationIds.includes(actor.organisationId)) throw notParty();
      const id = await saveAgreement(trx, null, row, links);
      const created = await this.get(actor.organisationId, id, trx);
      await logChange(trx, { responsibility_id: id, action: 'created', user_id: actor.userId, organisation_id: actor.organisationId, before: null, after: created });
      return created;
    });
  }

  /** Replaces an agreement's terms; the actor must be party before and after. Existing cases keep their routing. */
  async update(actor: AgreementActor, id: number, input: AgreementInput): Promise<Agreement> {
    return this.db.transaction().execute(async (trx) => {
      const before = await this.get(actor.organisationId, id, trx);
      await trx.selectFrom('responsibilities').select('id').where('id', '=', id).forUpdate().execute();
      const { row, links, memberOrganisationIds } = await this.validate(trx, input, id);
      if (row.provider_organisation_id !== actor.organisationId && !memberOrganisationIds.includes(actor.organisationId)) throw notParty();
      await saveAgreement(trx, id, row, links);
      const after = await this.get(actor.organisationId, id, trx);
      await logChange(trx, { responsibility_id: id, action: 'updated', user_id: actor.userId, organisation_id: actor.organisationId, before, after });
      return after;
    });
  }

  /** Ends an agreement: it routes up to and including `validTo` (default yesterday, so it stops at once). */
  async end(actor: AgreementActor, id: number, validTo?: string): Promise<Agreement> {
    const last = validTo ?? dayBefore(swedishDate());
    checkDate('valid_to', last);
    return this.db.transaction().execute(async (trx) => {
      const before = await this.get(actor.organisationId, id, trx);
      if (last < before.valid_from) {
        throw badInput('valid_to', `must be on or after valid_from ${before.valid_from}; an agreement that has not started can be edited instead`,
          `måste vara samma dag som eller efter valid_from ${before.valid_from}; ett avtal som inte har börjat kan ändras i stället`);
      }
      await endAgreement(trx, id, last);
      const after = await this.get(actor.organisationId, id, trx);
      await logChange(trx, { responsibility_id: id, action: 'ended', user_id: actor.userId, organisation_id: actor.organisationId, before, after });
      return after;
    });
  }

  /** The follow-up report of an agreement for a period (default: this year up to today). */
  async report(organisationId: number, id: number, period: { from?: string; to?: string }): Promise<{ agreement: Agreement; from: string; to: string; rows: ReportRow[] }> {
    const to = period.to ?? swedishDate();
    const from = period.from ?? `${to.slice(0, 4)}-01-01`;
    checkDate('from', from);
    checkDate('to', to);
    if (from > to) throw badInput('to', 'must be on or after from', 'måste vara samma dag som eller efter from');
    const agreement = await this.get(organisationId, id);
    const counted = await agreementReport(this.db, id, from, to);
    // Every buyer municipality gets a line, with zeros when it had no cases in the period.
    const rows: ReportRow[] = agreement.member_municipalities.map((m) => counted.find((r) => r.municipality_code === m.code) ?? {
      municipality_code: m.code, municipality: m.name, cases: 0, closed: 0, open: 0, median_handling_hours: null, sla_met: 0, sla_breached: 0, sla_compliance_percent: null,
    });
    const strays = counted.filter((r) => r.municipality_code !== null && !rows.some((x) => x.municipality_code === r.municipality_code));
    const total = counted.find((r) => r.municipality_code === null) ?? {
      municipality_code: null, municipality: 'Totalt', cases: 0, closed: 0, open: 0, median_handling_hours: null, sla_met: 0, sla_breached: 0, sla_compliance_percent: null,
    };
    return { agreement, from, to, rows: [...rows, ...strays, total] };
  }

  /** Checks every field against the data and names the one at fault; returns the row and its links. */
  private async validate(trx: Kysely<Database>, input: AgreementInput, id?: number) {
    const title = input.title.trim();
    if (title.length === 0) throw badInput('title', 'is required', 'krävs');
    const reference = input.reference?.trim() || null;
    checkDate('valid_from', input.valid_from);
    if (input.valid_to) {
      checkDate('valid_to', input.valid_to);
      if (input.valid_to < input.valid_from) throw badInput('valid_to', 'must be on or after valid_from', 'måste vara samma dag som eller efter valid_from');
    }
    const provider = await trx.selectFrom('organisations').select(['id', 'kind', 'municipality_code']).where('id', '=', input.provider_organisation_id).executeTakeFirst();
    if (!provider) throw badInput('provider_organisation_id', `${input.provider_organisation_id} is not an organisation`, `${input.provider_organisation_id} är ingen organisation`);

    const codes = [...new Set(input.municipality_codes)];
    const municipalityAreas = codes.length
      ? await trx.selectFrom('areas').select(['id', 'code']).where('kind', '=', 'municipality').where('code', 'in', codes).execute()
      : [];
    codes.forEach((code, i) => {
      if (!municipalityAreas.some((a) => a.code === code)) throw badInput(`municipality_codes[${i}]`, `${code} is not a Swedish kommunkod`, `${code} är ingen svensk kommunkod`);
    });
    const areaIds = [...new Set(input.area_ids ?? [])];
    const otherAreas = areaIds.length ? await trx.selectFrom('areas').select(['id', 'kind', 'municipality_code']).where('id', 'in', areaIds).execute() : [];
    areaIds.forEach((areaId, i) => {
      const area = otherAreas.find((a) => a.id === areaId);
      if (!area) throw badInput(`area_ids[${i}]`, `area ${areaId} does not exist`, `område ${areaId} finns inte`);
      if (area.kind === 'municipality') throw badInput(`area_ids[${i}]`, 'give whole municipalities in municipality_codes', 'ange hela kommuner i municipality_codes');
    });
    if (codes.length + areaIds.length === 0) throw badInput('municipality_codes', 'needs at least one municipality (or an area in area_ids)', 'behöver minst en kommun (eller ett område i area_ids)');

    const serviceCodes = [...new Set(input.service_codes ?? [])];
    const services = serviceCodes.length ? await trx.selectFrom('services').select(['id', 'service_code']).where('service_code', 'in', serviceCodes).execute() : [];
    serviceCodes.forEach((code, i) => {
      if (!services.some((s) => s.service_code === code)) throw badInput(`service_codes[${i}]`, `"${code}" is not a service`, `"${code}" är ingen kategori`);
    });
    const groupCodes = [...new Set(input.group_codes ?? [])];
    const groups = groupCodes.length ? await trx.selectFrom('service_groups').select('code').where('code', 'in', groupCodes).execute() : [];
    groupCodes.forEach((code, i) => {
      if (!groups.some((g) => g.code === code)) throw badInput(`group_codes[${i}]`, `"${code}" is not a service group`, `"${code}" är ingen kategorigrupp`);
    });
    const allServices = input.all_services ?? false;
    if (allServices && serviceCodes.length + groupCodes.length > 0) throw badInput('all_services', 'cannot be combined with service_codes or group_codes', 'kan inte kombineras med service_codes eller group_codes');
    if (!allServices && serviceCodes.length + groupCodes.length === 0) throw badInput('service_codes', 'give at least one service or group, or all_services', 'ange minst en kategori eller grupp, eller all_services');

    const memberCodes = new Set([...codes, ...otherAreas.map((a) => a.municipality_code).filter((c): c is string => c !== null)]);
    if (input.kind === 'own' && (provider.kind !== 'municipality' || [...memberCodes].some((c) => c !== provider.municipality_code))) {
      throw badInput('kind', '"own" means a municipality handling its own area; use "agreement" for another body', '"own" betyder att kommunen själv ansvarar i sitt område; använd "agreement" för någon annan');
    }
    if (input.kind === 'state' && provider.kind !== 'state_agency') throw badInput('kind', '"state" needs a state agency as provider', '"state" kräver en statlig myndighet som utförare');
    if (input.receiving_unit_id) {
      const unit = await trx.selectFrom('units').select('id').where('id', '=', input.receiving_unit_id).where('organisation_id', '=', provider.id).executeTakeFirst();
      if (!unit) throw badInput('receiving_unit_id', 'is not a unit of the provider', 'är ingen enhet hos utföraren');
    }
    if (reference) {
      const clash = await trx.selectFrom('responsibilities').select('id').where('provider_organisation_id', '=', provider.id).where('reference', '=', reference)
        .$call((q) => (id ? q.where('id', '!=', id) : q)).executeTakeFirst();
      if (clash) throw new AppError({ status: 409, code: 'duplicate_reference', field: 'reference', message: `reference: the provider already has agreement ${reference} (id ${clash.id})`, message_sv: `reference: utföraren har redan avtal ${reference}` });
    }
    const memberOrganisations = memberCodes.size
      ? await trx.selectFrom('organisations').select('id').where('kind', '=', 'municipality').where('municipality_code', 'in', [...memberCodes]).execute()
      : [];
    const row: AgreementRow = {
      title, reference, kind: input.kind, provider_organisation_id: provider.id, all_services: allServices,
      valid_from: input.valid_from, valid_to: input.valid_to ?? null, receiving_unit_id: input.receiving_unit_id ?? null,
    };
    return {
      row,
      links: { areaIds: [...municipalityAreas.map((a) => a.id), ...areaIds], serviceIds: services.map((s) => s.id), groupCodes },
      memberOrganisationIds: memberOrganisations.map((o) => o.id),
    };
  }
}
