import nodemailer, { type Transporter } from 'nodemailer';
import type { AppContext } from '../app-context.js';
import { registerOutboxHandler, PermanentDeliveryError } from '../outbox/service.js';
import { renderCaseEmail, type CaseEmailPayload } from './templates.js';

/** The outbox kind of e-mails about a case. */
export const CASE_EMAIL = 'notify.case_email';

const transports = new Map<string, Transporter>();

function transportFor(smtpUrl: string): Transporter {
  let t = transports.get(smtpUrl);
  if (!t) {
    t = nodemailer.createTransport(smtpUrl);
    transports.set(smtpUrl, t);
  }
  return t;
}

/** The sender address: no-reply at the public host name. */
export function senderOf(baseUrl: string): string {
  return `Ingång <no-reply@${new URL(baseUrl).hostname}>`;
}

/** Sends one message by SMTP with a stable Message-ID, so a repeat after a crash can be spotted. */
export async function sendMail(ctx: AppContext, mail: { to: string; subject: string; text: string; headers?: Record<string, string> }, messageId: string): Promise<void> {
  await transportFor(ctx.config.smtpUrl!).sendMail({
    from: senderOf(ctx.config.publicBaseUrl),
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    headers: mail.headers,
    messageId: `<${messageId}@${new URL(ctx.config.publicBaseUrl).hostname}>`,
  });
}

/**
 * Delivers one case e-mail by SMTP. Without SMTP_URL (a demo or development set-up) the message is
 * written to the log and counted as delivered, so nothing piles up in the outbox.
 */
export async function deliverCaseEmail(payload: CaseEmailPayload, ctx: AppContext, messageId: string): Promise<void> {
  if (!payload.to || !payload.unsubscribe_token) throw new PermanentDeliveryError('e-mail payload without recipient');
  const mail = renderCaseEmail(payload, ctx.config.publicBaseUrl);
  if (!ctx.config.smtpUrl) {
    // Never the address: logs must hold no personal data.
    console.info(`[mail, SMTP_URL not set] not sent: ${mail.subject}`);
    return;
  }
  await sendMail(ctx, { to: payload.to, ...mail }, messageId);
}

registerOutboxHandler(CASE_EMAIL, (message, ctx) =>
  deliverCaseEmail(message.payload as unknown as CaseEmailPayload, ctx, `ingang-outbox-${message.id}`));
