// Step 2 of the report: what. Categories in their groups, filtered by a search over Swedish and English
// names and keywords; the chosen service's extra questions are rendered from its attribute definitions.
import { html } from 'htm/preact';
import { locale, t } from '../../shared/i18n.js';
import type { Attribute, Group, Service } from '../api.js';
import { Field, type FieldErrors } from '../ui.js';

const fold = (s: string) => s.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');

/** True when every word of the query is found in the service's names, keywords or group name. */
export function matches(service: Service, group: Group, query: string): boolean {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = fold([service.name_sv, service.name_en, group.name_sv, group.name_en, ...service.keywords_sv, ...service.keywords_en].join(' '));
  return words.every((word) => hay.includes(word));
}

const name = (x: { name_sv: string; name_en: string }) => (locale() === 'en' ? x.name_en : x.name_sv);
const describe = (a: Attribute) => (locale() === 'en' ? a.description_en : a.description_sv);

export interface CategoryProps {
  groups: Group[];
  query: string;
  serviceCode: string | null;
  answers: Record<string, string | string[]>;
  errors: FieldErrors;
  onQuery: (q: string) => void;
  onService: (code: string) => void;
  onAnswer: (code: string, value: string | string[]) => void;
}

function Question(props: { a: Attribute; value: string | string[] | undefined; error?: string; onAnswer: (v: string | string[]) => void }) {
  const { a } = props;
  const id = `attr-${a.code}`;
  const errId = props.error ? `${id}-error` : undefined;
  const label = html`${describe(a)}${a.required ? '' : html` <span class="optional">${t('form.optional')}</span>`}`;
  if (a.datatype === 'singlevaluelist' || a.datatype === 'multivaluelist') {
    const multi = a.datatype === 'multivaluelist';
    const current = Array.isArray(props.value) ? props.value : props.value ? [props.value] : [];
    return html`<fieldset class=${`field${props.error ? ' has-error' : ''}`} id=${id} tabindex="-1" aria-describedby=${errId}>
      <legend>${label}</legend>
      ${props.error ? html`<p class="error" id=${errId}><span class="sr-only">${t('form.error')}: </span>${props.error}</p>` : ''}
      <div class=${multi ? 'checks' : 'radios radios-inline'}>
        ${(a.values ?? []).map((v) => html`<label class="choice">
          <input type=${multi ? 'checkbox' : 'radio'} name=${id} value=${v.key} checked=${current.includes(v.key)}
            onChange=${(e: Event) => {
              const on = (e.target as HTMLInputElement).checked;
              props.onAnswer(multi ? (on ? [...current, v.key] : current.filter((k) => k !== v.key)) : v.key);
            }} />
          <span>${name(v)}</span></label>`)}
      </div>
    </fieldset>`;
  }
  return html`<${Field} id=${id} label=${describe(a)} optional=${!a.required} error=${props.error}>
    ${(describedBy: string | undefined) => a.datatype === 'text'
      ? html`<textarea id=${id} rows="3" aria-describedby=${describedBy} aria-invalid=${props.error ? 'true' : undefined}
          onInput=${(e: Event) => props.onAnswer((e.target as HTMLTextAreaElement).value)}>${props.value ?? ''}</textarea>`
      : html`<input id=${id} type="text" inputmode=${a.datatype === 'number' ? 'decimal' : undefined} value=${props.value ?? ''}
          aria-describedby=${describedBy} aria-invalid=${props.error ? 'true' : undefined}
          onInput=${(e: Event) => props.onAnswer((e.target as HTMLInputElement).value)} />`}
  </${Field}>`;
}

/** The "what" section of the report form. */
export function CategorySection(props: CategoryProps) {
  const visible = props.groups
    .map((g) => ({ g, services: g.services.filter((s) => matches(s, g, props.query) || s.service_code === props.serviceCode) }))
    .filter((x) => x.services.length > 0);
  const selected = props.groups.flatMap((g) => g.services).find((s) => s.service_code === props.serviceCode);
  const error = props.errors.service_code;
  return html`<section class="step" aria-labelledby="step-what">
    <h2 id="step-what"><span class="step-no">2</span> ${t('what.title')}</h2>
    <div class="field">
      <label for="category-search">${t('what.search')}</label>
      <p class="hint" id="category-search-hint">${t('what.search_hint')}</p>
      <input id="category-search" type="search" value=${props.query} aria-describedby="category-search-hint category-count"
        onInput=${(e: Event) => props.onQuery((e.target as HTMLInputElement).value)} />
      <p class="sr-only" id="category-count" aria-live="polite">${t('what.count', { n: visible.reduce((n, x) => n + x.services.length, 0) })}</p>
    </div>
    <fieldset class=${`field categories${error ? ' has-error' : ''}`} id="service_code" tabindex="-1" aria-describedby=${error ? 'service_code-error' : undefined}>
      <legend>${t('what.category')}</legend>
      ${error ? html`<p class="error" id="service_code-error"><span class="sr-only">${t('form.error')}: </span>${error}</p>` : ''}
      ${visible.length === 0 ? html`<p>${t('what.no_match')}</p>` : ''}
      ${visible.map(({ g, services }) => html`<fieldset class="group">
        <legend>${name(g)}</legend>
        <div class="radios">
          ${services.map((s) => html`<label class="choice">
            <input type="radio" name="service_code" value=${s.service_code} checked=${s.service_code === props.serviceCode}
              onChange=${() => props.onService(s.service_code)} />
            <span>${name(s)}</span></label>`)}
        </div>
      </fieldset>`)}
    </fieldset>
    ${selected ? html`<div class="service-info">
      ${(locale() === 'en' ? selected.description_en : selected.description_sv) ? html`<p>${locale() === 'en' ? selected.description_en : selected.description_sv}</p>` : ''}
      ${selected.attributes.map((a) => html`<${Question} a=${a} value=${props.answers[a.code]} error=${props.errors[`attribute[${a.code}]`]}
        onAnswer=${(v: string | string[]) => props.onAnswer(a.code, v)} />`)}
    </div>` : ''}
  </section>`;
}
