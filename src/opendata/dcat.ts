import type { Kysely } from 'kysely';
import type { Database } from '../db/types.js';
import { municipalitiesWithCases } from './repo.js';
import { date, dateTime, lit, ref, type RdfNode, type Value } from './rdf.js';

/** CC0 1.0: the licence of every Ingång open data set. */
export const LICENCE = 'http://creativecommons.org/publicdomain/zero/1.0/';
const EU = 'http://publications.europa.eu/resource/authority/';

const DISTRIBUTIONS = [
  { key: 'csv', path: 'cases.csv', media: 'text/csv', fileType: 'CSV', sv: 'Ärenden som CSV', en: 'Cases as CSV' },
  { key: 'geojson', path: 'cases.geojson', media: 'application/geo+json', fileType: 'GEOJSON', sv: 'Ärenden som GeoJSON', en: 'Cases as GeoJSON' },
  { key: 'open311', path: 'cases.open311.json', media: 'application/json', fileType: 'JSON', sv: 'Ärenden i Open311 bulk-format (JSON)', en: 'Cases in the Open311 bulk format (JSON)' },
] as const;

function distribution(base: string, id: string, query: string, d: (typeof DISTRIBUTIONS)[number]): Value {
  const url = `${base}/api/opendata/${d.path}${query}`;
  const props: RdfNode['props'] = {
    'dcterms:title': [lit(d.sv, 'sv'), lit(d.en, 'en')],
    'dcat:accessURL': [ref(url)],
    'dcat:downloadURL': [ref(url)],
    'dcat:mediaType': [ref(`https://www.iana.org/assignments/media-types/${d.media}`)],
    'dcterms:format': [ref(`${EU}file-type/${d.fileType}`)],
    'dcterms:license': [ref(LICENCE)],
  };
  if (d.key === 'open311') props['dcterms:conformsTo'] = [ref('http://wiki.open311.org/GeoReport_v2')];
  return { id: `${id}/distribution/${d.key}`, type: 'dcat:Distribution', props };
}

/**
 * The DCAT-AP-SE catalogue: one dataset for all of Ingång and one per municipality with cases, each with CSV,
 * GeoJSON and Open311 distributions under CC0, publisher, contact point, theme, period and update frequency.
 */
export async function dcatCatalogue(db: Kysely<Database>, base: string, now = new Date()): Promise<RdfNode> {
  const municipalities = await municipalitiesWithCases(db);
  const publisher: RdfNode = { id: `${base}/#publisher`, type: 'foaf:Agent', props: { 'foaf:name': [lit('Ingång', 'sv')], 'dcterms:type': [ref('http://purl.org/adms/publishertype/LocalAuthority')] } };
  const common = (title: { sv: string; en: string }, desc: { sv: string; en: string }, id: string, query: string, extra: RdfNode['props']): RdfNode => ({
    id,
    type: 'dcat:Dataset',
    props: {
      'dcterms:title': [lit(title.sv, 'sv'), lit(title.en, 'en')],
      'dcterms:description': [lit(desc.sv, 'sv'), lit(desc.en, 'en')],
      'dcat:theme': [ref(`${EU}data-theme/GOVE`), ref(`${EU}data-theme/REGI`)],
      'dcat:keyword': [lit('felanmälan', 'sv'), lit('offentlig miljö', 'sv'), lit('Open311', 'sv'), lit('service requests', 'en')],
      'dcterms:language': [ref(`${EU}language/SWE`)],
      'dcterms:accrualPeriodicity': [ref(`${EU}frequency/CONT`)],
      'dcterms:accessRights': [ref(`${EU}access-right/PUBLIC`)],
      'dcterms:license': [ref(LICENCE)],
      'dcat:landingPage': [ref(`${base}/statistik`)],
      'dcat:distribution': DISTRIBUTIONS.map((d) => distribution(base, id, query, d)),
      ...extra,
    },
  });
  const describe = (where: string) => ({
    sv: `Ärenden om den offentliga miljön (felanmälningar och synpunkter) i ${where}: kategori, läge, tider, plats och ansvarig. Personuppgifter är borttagna: inga uppgifter om anmälaren, e-postadresser, telefonnummer och personnummer är strukna ur fritext, och platser i känsliga kategorier är avrundade till ungefär 500 m.`,
    en: `Cases about the public space (fault reports and feedback) in ${where}: category, state, times, place and the responsible body. Personal data is removed: nothing about the reporter, e-mail addresses, phone numbers and personal identity numbers are struck from free text, and places in sensitive categories are rounded to about 500 m.`,
  });
  const datasets: Value[] = [
    common({ sv: 'Ärenden i offentlig miljö – alla kommuner i Ingång', en: 'Public-space cases – all municipalities in Ingång' }, describe('alla kommuner som använder Ingång'),
      `${base}/api/opendata/datasets/all`, '', { 'dcterms:publisher': [publisher], 'dcterms:spatial': [ref(`${EU}country/SWE`)], 'dcterms:modified': [dateTime(now)] }),
    ...municipalities.map((m) => {
      const name = m.organisation_name ?? m.name;
      const contact: RdfNode = { type: 'vcard:Organization', props: { 'vcard:fn': [lit(name, 'sv')], ...(m.contact_email ? { 'vcard:hasEmail': [ref(`mailto:${m.contact_email}`)] } : {}) } };
      return common({ sv: `Ärenden i offentlig miljö – ${m.name}`, en: `Public-space cases – ${m.name}` }, describe(m.name), `${base}/api/opendata/datasets/${m.code}`, `?municipality=${m.code}`, {
        'dcterms:identifier': [lit(`ingang-cases-${m.code}`)],
        'dcterms:publisher': [{ id: `${base}/#publisher-${m.code}`, type: 'foaf:Agent', props: { 'foaf:name': [lit(name, 'sv')], ...(m.website ? { 'foaf:homepage': [ref(m.website)] } : {}) } }],
        'dcat:contactPoint': [contact],
        'dcterms:spatial': [{ type: 'dcterms:Location', props: { 'skos:prefLabel': [lit(m.name, 'sv')], 'dcterms:identifier': [lit(m.code)] } }],
        'dcterms:temporal': [{ type: 'dcterms:PeriodOfTime', props: { 'dcat:startDate': [date(m.first)], 'dcat:endDate': [date(m.last)] } }],
        'dcterms:modified': [dateTime(m.modified)],
      });
    }),
  ];
  return {
    id: `${base}/api/opendata/catalog`,
    type: 'dcat:Catalog',
    props: {
      'dcterms:title': [lit('Ingång – öppna data', 'sv'), lit('Ingång – open data', 'en')],
      'dcterms:description': [lit('Ärenden om den offentliga miljön från kommuner som använder Ingång, utan personuppgifter, under CC0.', 'sv'),
        lit('Cases about the public space from municipalities using Ingång, without personal data, under CC0.', 'en')],
      'dcterms:publisher': [publisher],
      'dcterms:license': [ref(LICENCE)],
      'dcterms:language': [ref(`${EU}language/SWE`)],
      'foaf:homepage': [ref(`${base}/statistik`)],
      'dcterms:modified': [dateTime(now)],
      'dcat:dataset': datasets,
    },
  };
}
