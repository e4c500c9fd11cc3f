import { resolveAssetForCase } from '../assets/service.js';
import type { AppContext } from '../app-context.js';
import type { CaseStatus } from '../db/types.js';
import { removeStored, storeImage, type StoredImage } from '../attachments/store.js';
import { findServiceByCode, listActiveServices } from '../catalogue/repo.js';
import { ALL_STATUSES } from '../cases/states.js';
import { AppError, badInput, notFound } from '../shared/errors.js';
import { addFollower, unsubscribe } from '../notify/followers.js';
import { enqueueSubscribed } from '../notify/effects.js';
import { findPostalCode } from '../routing/location.js';
import { caseSummary, publicCase, reopenUntil, type PublicCase } from './view.js';
import {
  countOpen, findCaseByNumber, findCaseByToken, nearbyOpenCases, openCasesInPostalCode, publicEvents,
  publicIdOf, publicPhotos, recentCases, type PublicCaseRow,
} from './repo.js';

/** At most this many photos per report. */
export const MAX_PHOTOS = 5;
/** "Nearby" for duplicate suggestions, in metres. */
export const NEARBY_METRES = 250;

const HTML_TAG = /<\/?[a-z!][^>]*>/i;
const PHONE = /^\+?[0-9 ()-]{5,20}$/;

/** What the report form sends (all text, as a form posts it). */
export interface ReportFields {
  service_code?: string;
  description?: string;
  lat?: string;
  lon?: string;
  address?: string;
  postal_code?: string;
  municipality_code?: string;
  /** The asset picked on the map (a pole, a bin): its place and its responsible body win. */
  asset_code?: string;
  name?: string;
  email?: string;
  phone?: string;
  locale?: string;
  attributes: Record<string, string | string[]>;
}

/** What the reporter is told after sending. */
export interface ReportReceipt {
  case_number: string;
  follow_path: string;
  case_path: string;
  status: CaseStatus;
  organisation: { sv: string; en: string };
  handled_because: { sv: string; en: string };
  sla_due_at: string | null;
  photos: number;
  located_by: string;
}

function plain(field: string, value: string | undefined, max: number, required: boolean): string | null {
  const text = (value ?? '').replace(/\r\n/g, '\n').trim();
  if (!text) {
    if (required) throw badInput(field, 'must be filled in', 'måste fyllas i', 'missing_field');
    return null;
  }
  if (text.length > max) throw badInput(field, `must be at most ${max} characters`, `får vara högst ${max} tecken`);
  if (HTML_TAG.test(text)) throw badInput(field, 'must be plain text, without HTML', 'ska vara vanlig text utan HTML');
  return text;
}

/** The citizen's way in: reports, public case pages, reopening and following by e-mail. */
export class PublicService {
  constructor(private readonly ctx: AppContext) {}

  /** The catalogue by group, with what the form needs to search and ask. */
  async catalogue() {
    const services = await listActiveServices(this.ctx.db);
    const groups: { code: string; name_sv: string; name_en: string; services: unknown[] }[] = [];
    for (const s of services) {
      let group = groups.find((g) => g.code === s.group_code);
      if (!group) groups.push((group = { code: s.group_code, name_sv: s.group_name_sv, name_en: s.group_name_en, services: [] }));
      group.services.push({
        service_code: s.service_code, name_sv: s.name_sv, name_en: s.name_en, description_sv: s.description_sv, description_en: s.description_en,
        keywords_sv: s.keywords_sv, keywords_en: s.keywords_en, attributes: s.attributes.filter((a) => a.variable).sort((a, b) => a.order - b.order),
      });
    }
    return { groups };
  }

  /**
   * Checks the form, stores the photos (re-encoded, without metadata) and creates the case with them through
   * the one case service, in one transaction. A bad photo or field stops everything before the case exists;
   * files of a failed report are removed.
   */
  async submitReport(fields: ReportFields, photos: Buffer[]): Promise<ReportReceipt> {
    const serviceCode = plain('service_code', fields.service_code, 64, true)!;
    const description = plain('description', fields.description, 4000, false);
    const name = plain('name', fields.name, 200, false);
    const phone = plain('phone', fields.phone, 30, false);
    if (phone && !PHONE.test(phone)) throw badInput('phone', 'must be a phone number, e.g. 070-123 45 67', 'ska vara ett telefonnummer, t.ex. 070-123 45 67');
    const address = plain('address', fields.address, 300, false);
    const assetCode = plain('asset_code', fields.asset_code, 100, false);
    const hasPoint = Boolean(fields.lat?.trim() || fields.lon?.trim() || assetCode);
    const postal = fields.postal_code?.trim() || findPostalCode(address);
    if (!hasPoint && !postal && !fields.municipality_code?.trim()) {
      throw badInput('address', address ? 'add the postal code (five digits), or place the pin on the map' : 'say where: place the pin on the map, use your location, or type an address with postal code',
        address ? 'lägg till postnumret (fem siffror), eller sätt nålen på kartan' : 'ange plats: sätt nålen på kartan, använd din position eller skriv en adress med postnummer', 'location_required');
    }
    if (photos.length > MAX_PHOTOS) throw badInput('photos', `at most ${MAX_PHOTOS} photos`, `högst ${MAX_PHOTOS} foton`);
    const service = await findServiceByCode(this.ctx.db, serviceCode);
    if (!service?.active) throw badInput('service_code', 'choose a category from the list', 'välj en kategori i listan', 'unknown_service');
    const asset = assetCode
      ? await resolveAssetForCase(this.ctx.db, { code: assetCode, serviceCode, lat: fields.lat ? Number(fields.lat) : null, lon: fields.lon ? Number(fields.lon) : null, field: 'asset_code' })
      : null;
    const stored: StoredImage[] = [];
    let created;
    try {
      for (const [i, photo] of photos.entries()) stored.push(await storeImage(this.ctx.config.dataDir, photo, photos.length > 1 ? `photos[${i + 1}]` : 'photos'));
      created = await this.ctx.cases.createCase({
        service_code: serviceCode,
        description,
        attributes: fields.attributes,
        location: {
          lat: fields.lat?.trim() ? fields.lat : asset?.location.lat, lon: fields.lon?.trim() ? fields.lon : asset?.location.lon,
          address, postal_code: fields.postal_code || null, municipality_code: fields.municipality_code || null,
        },
        asset_id: asset?.asset_id ?? null,
        routing_override: asset?.routing_override ?? null,
        channel: 'web',
        reporter: { name, email: fields.email, phone, locale: fields.locale === 'en' ? 'en' : 'sv' },
        media_url: stored.length ? `${this.ctx.config.publicBaseUrl}/api/public/photos/${stored[0].storage_key}` : null,
        photos: stored,
        actor: { user_id: null, organisation_id: null, label: 'web' },
      });
    } catch (error) {
      for (const s of stored) await removeStored(this.ctx.config.dataDir, s.storage_key);
      throw error;
    }
    // The case and its photos are committed: from here on the files belong to it, whatever happens to the answer.
    return this.receiptOf(created.case.id);
  }

  /** The receipt of a stored report (also rebuilt for a retry whose first attempt died before answering). */
  async receiptOf(caseId: number): Promise<ReportReceipt> {
    const kase = await this.ctx.db.selectFrom('cases').innerJoin('organisations as o', 'o.id', 'cases.organisation_id')
      .select(['cases.public_id', 'cases.follow_token', 'cases.status', 'cases.routing', 'cases.sla_due_at', 'o.name_sv', 'o.name_en'])
      .where('cases.id', '=', caseId).executeTakeFirstOrThrow();
    const photos = await this.ctx.db.selectFrom('attachments').select(this.ctx.db.fn.countAll<number>().as('n')).where('case_id', '=', caseId).executeTakeFirstOrThrow();
    return {
      case_number: kase.public_id,
      follow_path: `/f/${kase.follow_token}`,
      case_path: `/arende/${encodeURIComponent(kase.public_id)}`,
      status: kase.status,
      organisation: { sv: kase.name_sv, en: kase.name_en },
      handled_because: { sv: kase.routing.explanation_sv, en: kase.routing.explanation_en },
      sla_due_at: kase.sla_due_at?.toISOString() ?? null,
      photos: Number(photos.n),
      located_by: kase.routing.located_by,
    };
  }

  private async view(row: PublicCaseRow): Promise<PublicCase> {
    const [events, photos, duplicateOf] = [
      await publicEvents(this.ctx.db, row.id),
      await publicPhotos(this.ctx.db, row.id),
      row.duplicate_of_case_id ? ((await publicIdOf(this.ctx.db, row.duplicate_of_case_id)) ?? null) : null,
    ];
    return publicCase(row, { events, photos, reopenDays: this.ctx.config.reopenDays, duplicateOf, now: new Date() });
  }

  private async publicRow(caseNumber: string): Promise<PublicCaseRow> {
    const row = await findCaseByNumber(this.ctx.db, caseNumber);
    if (!row || row.confidential) throw notFound('case', caseNumber);
    return row;
  }

  /** The public page of a case by its number; confidential cases do not exist here. */
  async caseByNumber(caseNumber: string): Promise<PublicCase> {
    return this.view(await this.publicRow(caseNumber));
  }

  /** The reporter's private view by follow token (the same public facts; works for confidential cases too). */
  async caseByToken(token: string): Promise<PublicCase> {
    const row = await findCaseByToken(this.ctx.db, token);
    if (!row) throw notFound('case');
    return this.view(row);
  }

  /** "Not fixed": reopens a closed case with the citizen's comment, within the configured period. */
  async reopen(caseNumber: string, commentRaw: string | undefined): Promise<PublicCase> {
    const comment = plain('comment', commentRaw, 2000, true)!;
    const row = await this.publicRow(caseNumber);
    const until = reopenUntil(row, this.ctx.config.reopenDays);
    if (!until) {
      throw new AppError({ status: 409, code: 'not_reopenable', field: 'comment', message: 'comment: this case is not closed, so it cannot be reopened',
        message_sv: 'comment: ärendet är inte avslutat och kan inte öppnas igen' });
    }
    if (until < new Date()) {
      throw new AppError({ status: 409, code: 'reopen_period_over', field: 'comment',
        message: `comment: a case can be reopened for ${this.ctx.config.reopenDays} days after it was closed; please make a new report`,
        message_sv: `comment: ett ärende kan öppnas igen i ${this.ctx.config.reopenDays} dagar efter att det avslutades; gör en ny felanmälan` });
    }
    await this.ctx.cases.changeStatus(row.id, 'reopened', { publicNote: comment, actor: { user_id: null, organisation_id: null, label: 'citizen' } });
    return this.caseByNumber(caseNumber);
  }

  /** Follows a case by e-mail and sends a "you now follow" message with the unsubscribe link. */
  async subscribe(caseNumber: string, emailRaw: string | undefined, localeRaw: string | undefined): Promise<void> {
    const email = (emailRaw ?? '').trim().toLowerCase();
    if (!email) throw badInput('email', 'must be filled in', 'måste fyllas i', 'missing_field');
    if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw badInput('email', 'is not a valid e-mail address', 'är ingen giltig e-postadress');
    const row = await this.publicRow(caseNumber);
    await this.ctx.db.transaction().execute(async (trx) => {
      const kase = await trx.selectFrom('cases').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
      const follower = await addFollower(trx, { case_id: kase.id, organisation_id: kase.organisation_id, email, locale: localeRaw === 'en' ? 'en' : 'sv' });
      await enqueueSubscribed(trx, kase, follower);
    });
  }

  /** One-click unsubscribe by the token in every e-mail. */
  async unsubscribe(token: string): Promise<{ case_number: string }> {
    const done = await unsubscribe(this.ctx.db, token);
    if (!done) throw notFound('subscription');
    return { case_number: done.public_id };
  }

  /** Open cases of the same service near a point (or in the postal code area): "already reported?". */
  async nearby(q: { service_code: string; lat?: number; lon?: number; postal_code?: string }) {
    const service = await findServiceByCode(this.ctx.db, q.service_code);
    if (!service) throw badInput('service_code', 'choose a category from the list', 'välj en kategori i listan', 'unknown_service');
    if (q.lat !== undefined && q.lon !== undefined) {
      const hits = await nearbyOpenCases(this.ctx.db, service.id, q.lat, q.lon, NEARBY_METRES);
      return { radius_m: NEARBY_METRES, cases: hits.map((h) => ({ ...caseSummary(h.row), distance_m: h.distance })) };
    }
    const postal = q.postal_code?.replace(/\s/g, '');
    if (postal && /^\d{5}$/.test(postal)) {
      const rows = await openCasesInPostalCode(this.ctx.db, service.id, postal);
      return { radius_m: null, cases: rows.map((r) => ({ ...caseSummary(r), distance_m: null })) };
    }
    throw badInput('lat', 'give lat and lon, or a postal code', 'ange lat och lon, eller ett postnummer');
  }

  /** Recent public cases of a municipality with filters, for the list and the map. */
  async recent(q: { municipality: string; service?: string; status?: string; limit?: number; before?: number }) {
    if (q.status && !['open', 'closed', ...ALL_STATUSES].includes(q.status)) {
      throw badInput('status', `must be open, closed or one of ${ALL_STATUSES.join(', ')}`, 'ska vara open, closed eller en status');
    }
    const rows = await recentCases(this.ctx.db, {
      municipality_code: q.municipality, service_code: q.service || undefined, status: (q.status || undefined) as 'open' | undefined,
      limit: q.limit ?? 50, before_id: q.before,
    });
    return { open_count: await countOpen(this.ctx.db, q.municipality), cases: rows.map(caseSummary), next_before: rows.length === (q.limit ?? 50) ? rows[rows.length - 1].id : null };
  }
}
