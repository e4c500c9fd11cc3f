import type { AppContext } from '../app-context.js';
import { registerOutboxHandler } from '../outbox/service.js';
import { CASE_FORWARDED, CASE_REROUTED } from '../cases/rerouting.js';
import { sendMail } from './mailer.js';

interface ArrivalPayload {
  case_id: number;
  public_id: string;
  from_organisation_id: number;
  to_organisation_id: number;
  reason: string | null;
}

/**
 * Tells a body that a case has arrived from another body (forwarded by hand or re-routed), at the
 * organisation's contact address. Bodies without an address see the case in their queue only.
 */
async function deliverArrival(kind: string, payload: ArrivalPayload, ctx: AppContext, messageId: string): Promise<void> {
  const orgs = await ctx.db.selectFrom('organisations').select(['id', 'name_sv', 'contact_email']).where('id', 'in', [payload.from_organisation_id, payload.to_organisation_id]).execute();
  const to = orgs.find((o) => o.id === payload.to_organisation_id);
  const from = orgs.find((o) => o.id === payload.from_organisation_id);
  if (!to?.contact_email || !ctx.config.smtpUrl) return;
  const how = kind === CASE_FORWARDED ? 'vidarebefordrats' : 'dirigerats om';
  await sendMail(ctx, {
    to: to.contact_email,
    subject: `Ärende ${payload.public_id} har ${how} till ${to.name_sv}`,
    text: [
      `Ärende ${payload.public_id} har ${how} till er från ${from?.name_sv ?? 'en annan organisation'}.`,
      payload.reason ? `Motivering: ${payload.reason}` : '',
      '',
      `Öppna ärendet: ${ctx.config.publicBaseUrl}/staff/cases/${payload.case_id}`,
      '',
      `Case ${payload.public_id} was ${kind === CASE_FORWARDED ? 'forwarded' : 're-routed'} to you.`,
    ].filter((line, i, all) => line !== '' || all[i - 1] !== '').join('\n'),
  }, messageId);
}

for (const kind of [CASE_FORWARDED, CASE_REROUTED]) {
  registerOutboxHandler(kind, (message, ctx) => deliverArrival(kind, message.payload as unknown as ArrivalPayload, ctx, `ingang-outbox-${message.id}`));
}
