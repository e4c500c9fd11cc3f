import type { CaseStatus } from '../db/types.js';
import { STATUS_LABELS } from '../cases/states.js';

/** What an e-mail about a case needs, captured when the event happened. */
export interface CaseEmailPayload {
  template: 'receipt' | 'update' | 'closed' | 'subscribed';
  to: string;
  locale: 'sv' | 'en';
  case_number: string;
  service: { sv: string; en: string };
  organisation: { sv: string; en: string };
  status: CaseStatus;
  body: string | null;
  sla_due_at: string | null;
  /** Only in the receipt to the reporter: the private follow link. */
  follow_token: string | null;
  unsubscribe_token: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  headers: Record<string, string>;
}

function when(iso: string, locale: 'sv' | 'en'): string {
  return new Intl.DateTimeFormat(locale === 'sv' ? 'sv-SE' : 'en-GB', { timeZone: 'Europe/Stockholm', dateStyle: 'long', timeStyle: 'short' }).format(new Date(iso));
}

const WORDS = {
  sv: {
    receipt: (n: string) => `Vi har tagit emot din felanmälan ${n}`,
    update: (n: string) => `Nytt om ärende ${n}`,
    closed: (n: string) => `Ärende ${n} är avslutat`,
    subscribed: (n: string) => `Du följer nu ärende ${n}`,
    hello: 'Hej!',
    thanks: 'Tack för att du hjälper till. Din felanmälan har fått ärendenumret',
    handledBy: 'Den hanteras av',
    expected: 'Vi räknar med att den är åtgärdad senast',
    follow: 'Följ ärendet här (länken är personlig – dela den inte):',
    status: 'Status nu',
    note: 'Meddelande',
    closedText: 'Ärendet är avslutat. Om felet inte är åtgärdat kan du säga till på ärendets sida:',
    page: 'Ärendets sida:',
    subscribedText: 'Du får e-post när något händer i ärendet.',
    stop: 'Vill du inte få fler e-postmeddelanden om ärendet? Klicka här:',
    privacy: 'Din e-postadress används bara för meddelanden om det här ärendet.',
  },
  en: {
    receipt: (n: string) => `We have received your report ${n}`,
    update: (n: string) => `News about case ${n}`,
    closed: (n: string) => `Case ${n} is closed`,
    subscribed: (n: string) => `You now follow case ${n}`,
    hello: 'Hello,',
    thanks: 'Thank you for helping. Your report has the case number',
    handledBy: 'It is handled by',
    expected: 'We expect it to be fixed by',
    follow: 'Follow the case here (the link is personal – do not share it):',
    status: 'Status now',
    note: 'Message',
    closedText: 'The case is closed. If the problem is not fixed, you can tell us on the case page:',
    page: 'Case page:',
    subscribedText: 'You will get an e-mail when something happens in the case.',
    stop: 'No more e-mails about this case? Click here:',
    privacy: 'Your e-mail address is only used for messages about this case.',
  },
};

/** The subject and plain-text body of an e-mail about a case, in the recipient's language. */
export function renderCaseEmail(p: CaseEmailPayload, baseUrl: string): RenderedEmail {
  const w = WORDS[p.locale];
  const caseUrl = `${baseUrl}/arende/${encodeURIComponent(p.case_number)}`;
  const stopUrl = `${baseUrl}/avsluta/${p.unsubscribe_token}`;
  const lines: string[] = [w.hello, ''];
  const status = `${w.status}: ${STATUS_LABELS[p.status][p.locale]}`;
  switch (p.template) {
    case 'receipt':
      lines.push(`${w.thanks} ${p.case_number} (${p.service[p.locale]}).`, `${w.handledBy} ${p.organisation[p.locale]}.`);
      if (p.sla_due_at) lines.push(`${w.expected} ${when(p.sla_due_at, p.locale)}.`);
      if (p.follow_token) lines.push('', w.follow, `${baseUrl}/f/${p.follow_token}`);
      break;
    case 'update':
      lines.push(`${p.case_number} – ${p.service[p.locale]}`, status);
      if (p.body) lines.push('', `${w.note}: ${p.body}`);
      lines.push('', w.page, caseUrl);
      break;
    case 'closed':
      lines.push(`${p.case_number} – ${p.service[p.locale]}`, status);
      if (p.body) lines.push('', `${w.note}: ${p.body}`);
      lines.push('', w.closedText, caseUrl);
      break;
    case 'subscribed':
      lines.push(`${p.case_number} – ${p.service[p.locale]}`, w.subscribedText, '', w.page, caseUrl);
      break;
  }
  lines.push('', w.stop, stopUrl, '', w.privacy, '', `– ${p.organisation[p.locale]} / Ingång`);
  const apiStop = `${baseUrl}/api/public/unsubscribe/${p.unsubscribe_token}`;
  return {
    subject: w[p.template](p.case_number),
    text: lines.join('\n'),
    headers: { 'List-Unsubscribe': `<${apiStop}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}
