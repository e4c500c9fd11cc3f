// The start page for all of Sweden (/) or one municipality (/k/1384, /k/kungsbacka): the report form itself.
import { html } from 'htm/preact';
import { useEffect } from 'preact/hooks';
import { t } from '../../shared/i18n.js';
import { getMunicipalities, getMunicipality, type Group, type PublicConfig } from '../api.js';
import { LoadState, useLoad } from '../ui.js';
import { navigate } from '../router.js';
import { ReportForm } from './report.js';

function MunicipalityChooser() {
  const list = useLoad(getMunicipalities, 'all');
  return html`<form class="chooser" onSubmit=${(e: Event) => {
    e.preventDefault();
    const v = (document.getElementById('choose-municipality') as HTMLSelectElement).value;
    if (v) navigate(`/k/${v}`);
  }}>
    <label for="choose-municipality">${t('start.choose')}</label>
    <div class="inline-form">
      <select id="choose-municipality">
        <option value="">${t('start.all_sweden')}</option>
        ${(list.data?.municipalities ?? []).map((m) => html`<option value=${m.slug}>${m.name}</option>`)}
      </select>
      <button type="submit" class="secondary">${t('start.go')}</button>
    </div>
  </form>`;
}

/** / and /k/<key> */
export function StartPage(props: { municipalityKey: string | null; groups: Group[] | null; config: PublicConfig | null; error: unknown }) {
  const muni = useLoad(() => (props.municipalityKey ? getMunicipality(props.municipalityKey) : Promise.resolve(null)), props.municipalityKey ?? '');
  useEffect(() => {
    document.title = muni.data ? `${t('start.title_in', { name: muni.data.name })} – Ingång` : `${t('start.title')} – Ingång`;
  });
  if (props.municipalityKey && !muni.data) return html`<${LoadState} error=${muni.error} />`;
  if (!props.groups) return html`<${LoadState} error=${props.error} />`;
  return html`<div>
    <h1 id="page-title" tabindex="-1">${muni.data ? t('start.title_in', { name: muni.data.name }) : t('start.title')}</h1>
    <p class="lead">${t('start.lead')}</p>
    ${muni.data
      ? html`<p class="scope-links"><a href=${`/k/${muni.data.slug}/arenden`}>${t('start.see_cases', { name: muni.data.name })}</a> · <a href="/">${t('start.all_sweden')}</a></p>`
      : html`<${MunicipalityChooser} />`}
    <${ReportForm} key=${muni.data?.code ?? 'se'} groups=${props.groups} municipality=${muni.data} tileUrl=${props.config?.map_tile_url ?? null} />
  </div>`;
}
