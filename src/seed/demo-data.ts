import type { OrganisationKind, ResponsibilityKind, Role } from '../db/types.js';

// The demo tells the real story of shared services in Sweden; names of companies and people are invented.

export interface DemoOrganisation {
  slug: string;
  kind: Exclude<OrganisationKind, 'municipality'>;
  name_sv: string;
  name_en: string;
  case_prefix: string;
  host_municipality_code?: string;
  units: { name_sv: string; name_en: string; is_default?: boolean }[];
}

/** Contact details and extra units for municipalities in the demo (the organisations come from reference data). */
export const DEMO_MUNICIPALITIES: Record<string, { email: string; phone: string; website: string; units: { name_sv: string; name_en: string }[] }> = {
  '1384': { email: 'kungsbacka@kungsbacka.se', phone: '0300-83 40 00', website: 'https://www.kungsbacka.se', units: [{ name_sv: 'Trafik och gata', name_en: 'Traffic and streets' }] },
  '1283': {
    email: 'kontaktcenter@helsingborg.se', phone: '042-10 50 00', website: 'https://helsingborg.se',
    units: [
      { name_sv: 'Kontaktcenter – En väg in', name_en: 'Contact centre – One way in' },
      { name_sv: 'Stadsbyggnadsförvaltningen – Drift och underhåll', name_en: 'City planning – Operations and maintenance' },
    ],
  },
  '1080': { email: 'karlskrona.kommun@karlskrona.se', phone: '0455-30 30 00', website: 'https://www.karlskrona.se', units: [{ name_sv: 'Tekniska förvaltningen', name_en: 'Technical administration' }] },
  '1984': { email: 'kommun@arboga.se', phone: '0589-870 00', website: 'https://www.arboga.se', units: [{ name_sv: 'Medborgarservice', name_en: 'Citizen service' }] },
  '1983': { email: 'kommun@koping.se', phone: '0221-250 00', website: 'https://www.koping.se', units: [{ name_sv: 'Tekniska kontoret', name_en: 'Technical office' }] },
  '1960': { email: 'kommun@kungsor.se', phone: '0227-60 00 00', website: 'https://www.kungsor.se', units: [{ name_sv: 'Samhällsbyggnad', name_en: 'Community development' }] },
  '2417': { email: 'kommun@norsjo.se', phone: '0918-141 00', website: 'https://www.norsjo.se', units: [] },
  '2482': { email: 'kommun@skelleftea.se', phone: '0910-73 50 00', website: 'https://skelleftea.se', units: [{ name_sv: 'Gatuavdelningen', name_en: 'Streets department' }] },
};

export const DEMO_ORGANISATIONS: DemoOrganisation[] = [
  {
    slug: 'kak-avfall', kind: 'joint_service', case_prefix: 'KAKAV', host_municipality_code: '1983',
    name_sv: 'Gemensamma avfallsnämnden Arboga–Köping–Kungsör', name_en: 'Joint Waste Committee of Arboga, Köping and Kungsör',
    units: [{ name_sv: 'Avfallsenheten', name_en: 'Waste unit', is_default: true }, { name_sv: 'Insamling', name_en: 'Collection' }],
  },
  {
    slug: 'kak-it', kind: 'joint_service', case_prefix: 'KAKIT', host_municipality_code: '1983',
    name_sv: 'Gemensamma IT-nämnden Arboga–Köping–Kungsör', name_en: 'Joint IT Committee of Arboga, Köping and Kungsör',
    units: [{ name_sv: 'IT-enheten', name_en: 'IT unit', is_default: true }],
  },
  {
    slug: 'trafikverket', kind: 'state_agency', case_prefix: 'TRAFV',
    name_sv: 'Trafikverket', name_en: 'Swedish Transport Administration',
    units: [{ name_sv: 'Region Väst – Drift', name_en: 'Region West – Operations', is_default: true }],
  },
  {
    slug: 'ljusdrift', kind: 'contractor', case_prefix: 'LJUSD',
    name_sv: 'Ljusdrift Öresund AB', name_en: 'Ljusdrift Öresund Ltd (street-lighting contractor)',
    units: [{ name_sv: 'Fältgrupp Helsingborg', name_en: 'Field team Helsingborg', is_default: true }],
  },
];

export interface DemoResponsibility {
  provider: string;
  kind: ResponsibilityKind;
  reference: string;
  title: string;
  areas: { kind: 'municipality' | 'road_corridor'; code: string }[];
  groups?: string[];
  services?: string[];
  valid_from: string;
}

/** Providers are slugs; municipalities are `kommun-<kod>`. */
export const DEMO_RESPONSIBILITIES: DemoResponsibility[] = [
  {
    provider: 'kak-avfall', kind: 'agreement', reference: '2016/42', valid_from: '2016-07-01',
    title: 'Avtalssamverkan avfall: Köping är värdkommun för Arboga, Köping och Kungsör',
    areas: [{ kind: 'municipality', code: '1984' }, { kind: 'municipality', code: '1983' }, { kind: 'municipality', code: '1960' }],
    groups: ['waste'],
  },
  {
    provider: 'kommun-2482', kind: 'agreement', reference: 'KS 2019/118', valid_from: '2019-01-01',
    title: 'Norsjö köper gatuunderhåll av Skellefteå',
    areas: [{ kind: 'municipality', code: '2417' }],
    groups: ['streets'],
  },
  {
    provider: 'trafikverket', kind: 'state', reference: 'E6', valid_from: '2010-01-01',
    title: 'Statlig väg E6 genom Kungsbacka: Trafikverket är väghållare',
    areas: [{ kind: 'road_corridor', code: 'E6-1384' }],
    groups: ['streets'],
  },
];

export interface DemoUser {
  email: string;
  display_name: string;
  memberships: { organisation: string; role: Role; unit?: string }[];
}

export const DEMO_PASSWORD = 'ingang-demo';

export const DEMO_USERS: DemoUser[] = [
  { email: 'agent@helsingborg.demo', display_name: 'Amira Haddad', memberships: [{ organisation: 'kommun-1283', role: 'agent', unit: 'Kontaktcenter – En väg in' }] },
  { email: 'handler@helsingborg.demo', display_name: 'Lars Nilsson', memberships: [{ organisation: 'kommun-1283', role: 'handler' }] },
  { email: 'supervisor@helsingborg.demo', display_name: 'Eva Lindqvist', memberships: [{ organisation: 'kommun-1283', role: 'supervisor' }] },
  { email: 'handler@kungsbacka.demo', display_name: 'Johan Berg', memberships: [{ organisation: 'kommun-1384', role: 'handler' }] },
  { email: 'admin@kungsbacka.demo', display_name: 'Sara Ek', memberships: [{ organisation: 'kommun-1384', role: 'admin' }] },
  { email: 'handler@karlskrona.demo', display_name: 'Maria Holm', memberships: [{ organisation: 'kommun-1080', role: 'handler' }] },
  { email: 'agent@arboga.demo', display_name: 'Ahmed Yilmaz', memberships: [{ organisation: 'kommun-1984', role: 'agent' }] },
  {
    email: 'handler@koping.demo', display_name: 'Karin Sjöberg',
    memberships: [{ organisation: 'kak-avfall', role: 'handler' }, { organisation: 'kommun-1983', role: 'handler' }],
  },
  { email: 'admin@koping.demo', display_name: 'Per Andersson', memberships: [{ organisation: 'kak-avfall', role: 'admin' }, { organisation: 'kommun-1983', role: 'admin' }] },
  { email: 'handler@skelleftea.demo', display_name: 'Erik Lundström', memberships: [{ organisation: 'kommun-2482', role: 'handler' }] },
  { email: 'handler@trafikverket.demo', display_name: 'Nils Ström', memberships: [{ organisation: 'trafikverket', role: 'handler' }] },
  { email: 'contractor@ljusdrift.demo', display_name: 'Jonas Falk', memberships: [{ organisation: 'ljusdrift', role: 'contractor' }] },
];

/** E6 through Kungsbacka, north to south (lon, lat); buffered into a road corridor. */
export const E6_KUNGSBACKA: [number, number][] = [
  [12.085, 57.565], [12.09, 57.52], [12.085, 57.49], [12.1, 57.45], [12.13, 57.4], [12.16, 57.35], [12.2, 57.29],
];

/** Municipalities that get demo cases, with a weight for how many. */
export const DEMO_CASE_MUNICIPALITIES: [string, number][] = [
  ['1384', 70], ['1283', 80], ['1080', 40], ['1984', 25], ['1983', 30], ['1960', 20], ['2417', 12], ['2482', 35],
];

/** Citizen-style descriptions per service. */
export const DEMO_DESCRIPTIONS: Record<string, string[]> = {
  street_light: ['Gatlampan vid busshållplatsen är trasig sedan i helgen.', 'Tre lyktstolpar i rad är släckta, det är helt mörkt på gång- och cykelvägen.', 'Lampan blinkar hela natten.'],
  pothole: ['Stort potthål mitt i körbanan, bilar väjer in i mötande fil.', 'Hål i asfalten vid övergångsstället.', 'Vägbanan har spruckit upp efter tjälen.'],
  illegal_dumping: ['Någon har dumpat en soffa och flera säckar vid återvinningsstationen.', 'Byggavfall dumpat i skogsdungen bakom skolan.'],
  graffiti: ['Klotter på gångtunneln under järnvägen.', 'Nytt klotter på elskåpet vid lekplatsen.'],
  litter: ['Mycket skräp längs stranden efter helgen.', 'Glassplitter på cykelbanan.'],
  fallen_tree: ['Ett träd har blåst omkull över gångvägen.', 'Stor gren hänger löst över lekplatsen.'],
  playground: ['Gungan är trasig, kedjan har gått av.', 'Sanden i sandlådan är full av glas.'],
  snow_ice: ['Det är väldigt halt på trottoaren vid vårdcentralen, ingen sandning.', 'Snövallen blockerar övergångsstället.'],
  water_leak: ['Vatten forsar upp ur en brunn i gatan.', 'Läckande brandpost vid korsningen.'],
  traffic_sign: ['Stoppskylten har vält.', 'Vägskylten är vänd åt fel håll.'],
  full_bin: ['Papperskorgen vid badplatsen är överfull.', 'Soptunnan vid busshållplatsen har inte tömts på en vecka.'],
  park: ['Gräset i parken har inte klippts på länge.', 'Parkbänken är trasig.'],
  noise: ['Byggbuller tidigt på morgonen varje dag.', 'Höga ljud från fläkt på taket nattetid.'],
  feedback: ['Tack för den nya cykelbanan, den är jättebra!', 'Önskar fler bänkar längs promenadstråket.'],
  other: ['En övergiven cykel har stått här i flera månader.', 'Trasigt staket vid kanalen.'],
};
