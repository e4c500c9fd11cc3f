import type { ServiceAttribute, SlaTier, SlaTiers } from '../db/types.js';
import type { CatalogueService } from './national-catalogue.js';

// Tiers follow the pattern Malmö publishes for street lights (P1 within an hour, P2 within three
// working days, P3 within 30 days) and are stretched or tightened per service by how quickly a fault
// becomes a danger. Helpers return fresh objects so that a seed step mutating one service cannot
// change another.

const hours = (amount: number): SlaTier => ({ amount, unit: 'hours' });
const workingDays = (amount: number): SlaTier => ({ amount, unit: 'working_days' });
const days = (amount: number): SlaTier => ({ amount, unit: 'days' });
const tiers = (p1: SlaTier, p2: SlaTier, p3: SlaTier): SlaTiers => ({ '1': p1, '2': p2, '3': p3 });

type Choice = [key: string, name_sv: string, name_en: string];
type Question = [sv: string, en: string];

function list(code: string, order: number, required: boolean, question: Question, choices: Choice[], multiple = false): ServiceAttribute {
  return {
    code,
    variable: true,
    datatype: multiple ? 'multivaluelist' : 'singlevaluelist',
    required,
    datatype_description: multiple ? 'Välj ett eller flera / Choose one or more' : 'Välj ett / Choose one',
    order,
    description_sv: question[0],
    description_en: question[1],
    values: choices.map(([key, name_sv, name_en]) => ({ key, name_sv, name_en })),
  };
}

function yesNo(code: string, order: number, required: boolean, question: Question): ServiceAttribute {
  const attribute = list(code, order, required, question, [['yes', 'Ja', 'Yes'], ['no', 'Nej', 'No']]);
  return { ...attribute, datatype_description: 'Ja eller nej / Yes or no' };
}

function text(code: string, order: number, required: boolean, question: Question, hint: string): ServiceAttribute {
  return {
    code,
    variable: true,
    datatype: 'string',
    required,
    datatype_description: hint,
    order,
    description_sv: question[0],
    description_en: question[1],
  };
}

export const NATIONAL_SERVICES: CatalogueService[] = [
  {
    service_code: 'street_light',
    group_code: 'lighting',
    name_sv: 'Gatubelysning – trasig lampa',
    name_en: 'Street light – broken lamp',
    description_sv: 'Gatlampa som är släckt, blinkar, lyser på dagen eller har en skadad stolpe.',
    description_en: 'A street light that is out, flickering, on during the day, or has a damaged pole.',
    keywords_sv: ['gatlampa', 'gatlampan', 'gatlampor', 'gatubelysning', 'gatubelysningen', 'belysning', 'belysningen',
      'lyktstolpe', 'lyktstolpen', 'lampa', 'lampan', 'lampor', 'släckt', 'trasig', 'mörkt', 'mörk', 'blinkar', 'armatur'],
    keywords_en: ['street light', 'streetlight', 'street lamp', 'lamp post', 'lamppost', 'light', 'lighting', 'dark',
      'broken light', 'flickering', 'light out'],
    attributes: [
      text('pole_number', 1, false, ['Stolpnummer', 'Pole number'], 'Står ofta på en bricka på stolpen / Often on a tag on the pole'),
      yesNo('is_dark', 2, true, ['Är flera lampor i rad eller hela gatan mörk?', 'Are several lights in a row or the whole street dark?']),
    ],
    default_priority: 2,
    sla_tiers: tiers(hours(1), workingDays(3), days(30)),
    retention_class: 'standard',
    sensitive_location: false,
    knowledge_sv: 'Kommunen byter trasiga gatlampor inom tre arbetsdagar. Om flera lampor i rad eller en hel gata är mörk ' +
      'är det troligen ett elfel: prioritet 1. Belysning längs statliga vägar sköts av Trafikverket.',
    knowledge_en: 'The municipality replaces broken street lights within three working days. If several lights in a row or a ' +
      'whole street is dark it is probably an electrical fault: priority 1. Lighting along state roads is the Swedish Transport Administration’s.',
    sort_order: 10,
  },
  {
    service_code: 'pothole',
    group_code: 'streets',
    name_sv: 'Potthål / skadad vägbana',
    name_en: 'Pothole / damaged road surface',
    description_sv: 'Hål, sprickor eller sättningar i gata, gång- eller cykelväg.',
    description_en: 'Holes, cracks or subsidence in a street, footpath or cycle path.',
    keywords_sv: ['potthål', 'potthålet', 'gropen', 'grop', 'hål', 'hålet', 'vägbana', 'vägbanan', 'asfalt', 'asfalten',
      'spricka', 'sprickor', 'sättning', 'väg', 'vägen', 'gata', 'gatan', 'cykelväg', 'cykelvägen', 'trottoar'],
    keywords_en: ['pothole', 'hole', 'road damage', 'road surface', 'asphalt', 'crack', 'street', 'cycle path', 'pavement'],
    attributes: [
      list('size', 1, false, ['Hur stort är hålet?', 'How big is the hole?'], [
        ['small', 'Litet (mindre än en handflata)', 'Small (smaller than a hand)'],
        ['medium', 'Mellan (upp till en fotboll)', 'Medium (up to a football)'],
        ['large', 'Stort (större än en fotboll)', 'Large (bigger than a football)'],
      ]),
      yesNo('on_cycle_path', 2, false, ['Ligger skadan på en gång- eller cykelväg?', 'Is the damage on a footpath or cycle path?']),
    ],
    default_priority: 2,
    sla_tiers: tiers(hours(4), workingDays(5), days(30)),
    retention_class: 'standard',
    sensitive_location: false,
    knowledge_sv: 'Djupa hål i körbana eller cykelbana som kan orsaka olyckor är prioritet 1 och märks ut samma dag. ' +
      'Skador på statliga vägar hanteras av Trafikverket. Ersättning för fordonsskador kräver en separat skadeanmälan.',
    knowledge_en: 'Deep holes in a carriageway or cycle lane that may cause accidents are priority 1 and are marked the same day. ' +
      'Damage on state roads is handled by the Swedish Transport Administration. Vehicle damage claims need a separate claim form.',
    sort_order: 20,
  },
  {
    service_code: 'snow_ice',
    group_code: 'streets',
    name_sv: 'Snö och halka',
    name_en: 'Snow and ice',
    description_sv: 'Ej plogat, halt eller snövall som hindrar framkomligheten.',
    description_en: 'Not ploughed, slippery, or a snow bank blocking the way.',
    keywords_sv: ['snö', 'snön', 'snöröjning', 'plogning', 'plogat', 'oplogat', 'halka', 'halkan', 'halt', 'is', 'isen',
      'sandning', 'sanda', 'snövall', 'snövallen', 'modd'],
    keywords_en: ['snow', 'ice', 'icy', 'slippery', 'ploughing', 'plowing', 'gritting', 'sanding', 'snow bank', 'slush'],
    attributes: [
      list('where', 1, false, ['Var är det?', 'Where is it?'], [
        ['road', 'Körbana', 'Road'],
        ['cycle_path', 'Cykelväg', 'Cycle path'],
        ['pavement', 'Gångbana / trottoar', 'Pavement'],
        ['bus_stop', 'Busshållplats', 'Bus stop'],
      ]),
    ],
    default_priority: 2,
    sla_tiers: tiers(hours(4), workingDays(1), workingDays(3)),
    retention_class: 'standard',
    sensitive_location: false,
    knowledge_sv: 'Kommunen röjer först huvudgator, busslinjer och prioriterade gång- och cykelvägar, sedan lokalgator. ' +
      'I många kommuner ansvarar fastighetsägaren för trottoaren utanför fastigheten. Statliga vägar sköts av Trafikverket.',
    knowledge_en: 'The municipality clears main streets, bus routes and priority footpaths and cycle paths first, then residential streets. ' +
      'In many municipalities property owners clear the pavement outside their property. State roads are the Swedish Transport Administration’s.',
    sort_order: 30,
  },
  {
    service_code: 'traffic_sign',
    group_code: 'streets',
    name_sv: 'Trafikskylt',
    name_en: 'Traffic sign',
    description_sv: 'Skylt som saknas, har vält, är skadad eller skymd.',
    description_en: 'A sign that is missing, knocked over, damaged or obscured.',
    keywords_sv: ['skylt', 'skylten', 'skyltar', 'trafikskylt', 'trafikskylten', 'vägmärke', 'vägmärket', 'stoppskylt',
      'väjningsplikt', 'vält', 'nedkörd', 'skymd', 'gatunamnsskylt'],
    keywords_en: ['sign', 'traffic sign', 'road sign', 'stop sign', 'give way', 'yield sign', 'knocked over', 'missing sign'],
    attributes: [],
    default_priority: 2,
    sla_tiers: tiers(hours(4), workingDays(5), days(30)),
    retention_class: 'standard',
    sensitive_location: false,
    knowledge_sv: 'En stoppskylt eller väjningspliktsskylt som saknas eller har vält är en trafikfara: prioritet 1. ' +
      'Skyltar längs statliga vägar sköts av Trafikverket.',
    knowledge_en: 'A missing or knocked-over stop or give-way sign is a traffic hazard: priority 1. ' +
      'Signs along state roads are the Swedish Transport Administration’s.',
    sort_order: 40,
  },
  {
    service_code: 'full_bin',
    group_code: 'waste',
    name_sv: 'Full papperskorg / sopkärl',
    name_en: 'Full litter bin / waste bin',
    description_sv: 'Papperskorg eller sopkärl som är full, trasig eller saknas.',
    description_en: 'A litter bin or waste bin that is full, broken or missing.',
    keywords_sv: ['papperskorg', 'papperskorgen', 'papperskorgar', 'soptunna', 'soptunnan', 'sopkärl', 'sopkärlet',
      'full', 'fullt', 'överfull', 'sopor', 'soporna', 'återvinningsstation', 'tömning', 'hämtning'],
    keywords_en: ['bin', 'litter bin', 'waste bin', 'rubbish bin', 'trash can', 'full', 'overflowing', 'recycling station',
      'collection'],
    attributes: [
      list('bin_type', 1, false, ['Vilken sorts kärl?', 'What kind of bin?'], [
        ['park_bin', 'Papperskorg', 'Park or street bin'],
        ['household_bin', 'Hushållskärl', 'Household bin'],
        ['recycling_station', 'Återvinningsstation', 'Recycling station'],
      ]),
    ],
    default_priority: 2,
    sla_tiers: tiers(hours(24), workingDays(2), days(7)),
    retention_class: 'standard',
    sensitive_location: false,
    knowledge_sv: 'Kommunen tömmer papperskorgar på gator, torg och i parker. Missad hämtning av hushållets kärl gäller ' +
      'avfallsverksamheten, och återvinningsstationer sköts ofta av en annan aktör – ärendet kan behöva skickas vidare.',
    knowledge_en: 'The municipality empties litter bins in streets, squares and parks. A missed household collection is for the ' +
      'waste service, and recycling stations are often run by another operator – the case may need forwarding.',
    sort_order: 50,
  },
  {
    service_code: 'litter',
    group_code: 'waste',
    name_sv: 'Nedskräpning',
    name_en: 'Litter',
    description_sv: 'Skräp, glas eller annat som skräpar ner på allmän plats.',
    description_en: 'Rubbish, broken glass or other litter in a public place.',
    keywords_sv: ['skräp', 'skräpet', 'nedskräpning', 'nedskräpat', 'glas', 'glassplitter', 'krossat', 'sprutor', 'kanyl',
      'fimpar', 'städning', 'smutsigt'],
    keywords_en: ['litter', 'rubbish', 'trash', 'garbage', 'broken glass', 'needles', 'syringe', 'cigarette butts', 'dirty'],
    attributes: [],
    default_priority: 2,
    sla_tiers: tiers(hours(24), workingDays(3), days(14)),
    retention_class: 'standard',
    sensitive_location: false,
    knowledge_sv: 'Kommunen städar gator, torg och parker. Krossat glas eller sprutor på lekplatser, skolgårdar och ' +
      'skolvägar är prioritet 1. Be inringaren att inte själv plocka upp sprutor.',
    knowledge_en: 'The municipality cleans streets, squares and parks. Broken glass or needles at playgrounds, schoolyards and ' +
      'school routes are priority 1. Ask the caller not to pick up needles themselves.',
    sort_order: 60,
  },
  {
    service_code: 'illegal_dumping',
    group_code: 'waste',
    name_sv: 'Dumpat avfall',
    name_en: 'Illegal dumping',
    description_sv: 'Möbler, elektronik, trädgårdsavfall eller annat som har dumpats.',
    description_en: 'Furniture, electronics, garden waste or anything else that has been dumped.',
    keywords_sv: ['dumpat', 'dumpning', 'dumpad', 'dumpade', 'avfall', 'avfallet', 'grovsopor', 'soffa', 'möbler',
      'kylskåp', 'elektronik', 'däck', 'trädgårdsavfall', 'kemikalier', 'oljefat', 'asbest'],
    keywords_en: ['dumping', 'dumped', 'fly-tipping', 'fly tipping', 'bulky waste', 'furniture', 'sofa', 'fridge',
      'electronics', 'tyres', 'garden waste', 'chemicals', 'hazardous waste'],
    attributes: [
      list('waste_types', 1, false, ['Vad har dumpats?', 'What has been dumped?'], [
        ['furniture', 'Möbler', 'Furniture'],
        ['electronics', 'Elektronik', 'Electronics'],
        ['hazardous', 'Farligt avfall (kemikalier, olja, asbest)', 'Hazardous waste (chemicals, oil, asbestos)'],
        ['garden', 'Trädgårdsavfall', 'Garden waste'],
        ['other', 'Annat', 'Other'],
      ], true),
      yesNo('hazardous', 2, true, ['Kan det vara farligt avfall?', 'Could it be hazardous waste?']),
    ],
    default_priority: 2,
    sla_tiers: tiers(hours(4), workingDays(5), days(30)),
    retention_class: 'standard',
    sensitive_location: false,
    knowledge_sv: 'Kommunen tar bort dumpat avfall från kommunal mark; på privat mark ansvarar markägaren. ' +
      'Misstänkt farligt avfall är prioritet 1 – be inringaren att inte röra det. Uppgifter om vem som dumpat tas emot av miljöförvaltningen.',
    knowledge_en: 'The municipality removes dumped waste from municipal land; on private land the landowner is responsible. ' +
      'Suspected hazardous waste is priority 1 – ask the caller not to touch it. Information on who dumped it goes to the environment office.',
    sort_order: 70,
  },
  {
    service_code: 'graffiti',
    group_code: 'waste',
    name_sv: 'Klotter',
    name_en: 'Graffiti',
    description_sv: 'Klotter eller olovlig affischering på kommunal egendom.',
    description_en: 'Graffiti or fly-posting on municipal property.',
    keywords_sv: ['klotter', 'klottret', 'klottrat', 'klottrad', 'tagg', 'taggar', 'sprayat', 'affischering', 'affischer',
      'klistermärken', 'skadegörelse'],
    keywords_en: ['graffiti', 'tag', 'tagging', 'spray paint', 'vandalism', 'fly-posting', 'posters', 'stickers'],
    attributes: [],
    default_priority: 3,
    sla_tiers: tiers(hours(24), workingDays(5), days(30)),
    retention_class: 'standard',
    sensitive_location: false,
    knowledge_sv: 'Klotter med kränkande, rasistiskt eller hotfullt innehåll tas bort inom ett dygn (prioritet 1); ' +
      'övrigt klotter på kommunal egendom saneras löpande. Klotter på privata byggnader är fastighetsägarens ansvar.',
    knowledge_en: 'Offensive, racist or threatening graffiti is removed within a day (priority 1); other graffiti on municipal ' +
      'property is cleaned as scheduled. Graffiti on private buildings is the property owner’s responsibility.',
    sort_order: 80,
  },
  {
    service_code: 'fallen_tree',
    group_code: 'parks',
    name_sv: 'Fallet träd',
    name_en: 'Fallen tree',
    description_sv: 'Träd eller stora grenar som har fallit eller riskerar att falla.',
    description_en: 'A tree or large branches that have fallen or are at risk of falling.',
    keywords_sv: ['träd', 'trädet', 'fallet', 'fallit', 'omkullblåst', 'vält', 'gren', 'grenen', 'grenar', 'storm',
      'stormfällt', 'rotvälta', 'lutar'],
    keywords_en: ['tree', 'fallen tree', 'branch', 'branches', 'storm', 'blown down', 'leaning tree', 'uprooted'],
    attributes: [
      yesNo('blocking', 1, true, ['Blockerar trädet väg, gång- eller cykelväg?', 'Is the tree blocking a road, footpath or cycle path?']),
    ],
    default_priority: 2,
    sla_tiers: tiers(hours(1), workingDays(3), days(30)),
    retention_class: 'standard',
    sensitive_location: false,
    knowledge_sv: 'Ett träd som blockerar väg, gång- eller cykelväg är prioritet 1. Ligger det över en elledning: be inringaren ' +
      'hålla avstånd och kontakta elnätsbolaget. Träd på privat tomt är fastighetsägarens ansvar.',
    knowledge_en: 'A tree blocking a road, footpath or cycle path is priority 1. If it lies across a power line, ask the caller to ' +
      'keep away and call the grid operator. Trees on private plots are the property owner’s responsibility.',
    sort_order: 90,
  },
  {
    service_code: 'playground',
    group_code: 'parks',
    name_sv: 'Lekplats',
    name_en: 'Playground',
    description_sv: 'Trasig eller farlig lekutrustning, eller annat fel på en kommunal lekplats.',
    description_en: 'Broken or dangerous play equipment, or another fault at a municipal playground.',
    keywords_sv: ['lekplats', 'lekplatsen', 'lekplatser', 'gunga', 'gungan', 'gungor', 'rutschkana', 'rutschkanan',
      'klätterställning', 'sandlåda', 'lekredskap', 'lekutrustning'],
    keywords_en: ['playground', 'swing', 'slide', 'climbing frame', 'sandpit', 'sandbox', 'play equipment'],
    attributes: [
      text('equipment', 1, false, ['Vilken lekutrustning gäller det?', 'Which play equipment is it?'], 'T.ex. gunga, rutschkana / E.g. swing, slide'),
    ],
    default_priority: 2,
    sla_tiers: tiers(hours(4), workingDays(5), days(30)),
    retention_class: 'standard',
    sensitive_location: false,
    knowledge_sv: 'Trasig lekutrustning som kan skada barn är prioritet 1 och spärras av samma dag. ' +
      'Lekplatser på bostadsgårdar och förskolegårdar sköts av fastighetsägaren respektive förskolan.',
    knowledge_en: 'Broken play equipment that could injure children is priority 1 and is cordoned off the same day. ' +
      'Playgrounds in housing courtyards and at preschools are looked after by the property owner or the preschool.',
    sort_order: 100,
  },
  {
    service_code: 'park',
    group_code: 'parks',
    name_sv: 'Park och grönyta',
    name_en: 'Park and green space',
    description_sv: 'Skötsel av gräs, buskar, bänkar och parkvägar i kommunens parker och grönområden.',
    description_en: 'Care of grass, shrubs, benches and paths in municipal parks and green spaces.',
    keywords_sv: ['park', 'parken', 'parker', 'grönyta', 'gräs', 'gräset', 'gräsklippning', 'buske', 'buskar', 'häck',
      'häcken', 'bänk', 'bänken', 'parkbänk', 'ogräs', 'rabatt'],
    keywords_en: ['park', 'green space', 'grass', 'mowing', 'shrubs', 'hedge', 'bench', 'weeds', 'flower bed'],
    attributes: [],
    default_priority: 3,
    sla_tiers: tiers(workingDays(1), workingDays(10), days(60)),
    retention_class: 'standard',
    sensitive_location: false,
    knowledge_sv: 'Gräs, buskar och bänkar i kommunens parker sköts enligt en skötselplan under säsongen. ' +
      'Buskar och häckar från privata tomter som skymmer sikten är fastighetsägarens ansvar att klippa.',
    knowledge_en: 'Grass, shrubs and benches in municipal parks are maintained to a seasonal care plan. ' +
      'Hedges from private plots that block visibility are the property owner’s to trim.',
    sort_order: 110,
  },
  {
    service_code: 'water_leak',
    group_code: 'water',
    name_sv: 'Vattenläcka',
    name_en: 'Water leak',
    description_sv: 'Vatten som tränger upp ur marken, en brunn eller en ventil i gatan.',
    description_en: 'Water coming up from the ground, a manhole or a valve in the street.',
    keywords_sv: ['vattenläcka', 'vattenläckan', 'läcka', 'läckan', 'läcker', 'vatten', 'vattnet', 'rörbrott',
      'vattenledning', 'brunn', 'brunnen', 'översvämning', 'översvämmat', 'avlopp', 'stopp'],
    keywords_en: ['water leak', 'leak', 'leaking', 'burst pipe', 'water main', 'manhole', 'flooding', 'flood', 'sewer'],
    attributes: [
      list('severity', 1, true, ['Hur mycket vatten är det?', 'How much water is there?'], [
        ['drip', 'Det droppar eller sipprar', 'Dripping or seeping'],
        ['flowing', 'Det rinner', 'Flowing'],
        ['flooding', 'Det svämmar över', 'Flooding'],
      ]),
    ],
    default_priority: 1,
    sla_tiers: tiers(hours(1), workingDays(1), workingDays(10)),
    retention_class: 'long',
    sensitive_location: false,
    knowledge_sv: 'Vatten som strömmar upp ur gatan kan vara en läcka på kommunens ledningsnät: prioritet 1, jouren larmas. ' +
      'Läckor inne i en fastighet eller efter fastighetens servisventil är fastighetsägarens ansvar.',
    knowledge_en: 'Water flowing up out of the street may be a leak in the municipal network: priority 1, call out the on-duty crew. ' +
      'Leaks inside a building or beyond the property’s service valve are the property owner’s responsibility.',
    sort_order: 120,
  },
  {
    service_code: 'noise',
    group_code: 'environment',
    name_sv: 'Buller',
    name_en: 'Noise',
    description_sv: 'Störande ljud från till exempel verksamheter, byggarbetsplatser, fläktar eller trafik.',
    description_en: 'Disturbing noise from, for example, businesses, building sites, fans or traffic.',
    keywords_sv: ['buller', 'bullret', 'oljud', 'ljud', 'ljudet', 'störning', 'störande', 'hög musik', 'fläkt', 'fläkten',
      'byggarbetsplats', 'byggbuller', 'vibrationer'],
    keywords_en: ['noise', 'noisy', 'loud', 'loud music', 'disturbance', 'fan', 'construction noise', 'vibration'],
    attributes: [],
    default_priority: 2,
    sla_tiers: tiers(workingDays(1), workingDays(10), days(30)),
    retention_class: 'short',
    sensitive_location: true,
    knowledge_sv: 'Miljöförvaltningen utreder buller från verksamheter, byggen, fläktar och trafik. Störande grannar i ' +
      'flerbostadshus hanteras av hyresvärden eller bostadsrättsföreningen; pågående fest eller bråk nattetid är en polisfråga (114 14).',
    knowledge_en: 'The environment office investigates noise from businesses, building sites, fans and traffic. Noisy neighbours in ' +
      'flats are for the landlord or housing association; an ongoing party or disturbance at night is for the police (114 14).',
    sort_order: 130,
  },
  {
    service_code: 'feedback',
    group_code: 'feedback',
    name_sv: 'Synpunkt',
    name_en: 'Feedback',
    description_sv: 'Synpunkter, förslag, klagomål eller beröm om gator, parker och annan offentlig miljö.',
    description_en: 'Comments, suggestions, complaints or praise about streets, parks and other public spaces.',
    keywords_sv: ['synpunkt', 'synpunkten', 'synpunkter', 'förslag', 'klagomål', 'beröm', 'tycker', 'önskemål', 'idé'],
    keywords_en: ['feedback', 'suggestion', 'complaint', 'praise', 'comment', 'idea', 'request'],
    attributes: [],
    default_priority: 3,
    sla_tiers: tiers(workingDays(3), workingDays(10), workingDays(20)),
    retention_class: 'short',
    sensitive_location: false,
    knowledge_sv: 'Synpunkter registreras och besvaras inom tio arbetsdagar av den förvaltning det gäller. ' +
      'Den som vill ha svar behöver lämna kontaktuppgifter; det går också bra att vara anonym.',
    knowledge_en: 'Feedback is registered and answered within ten working days by the department concerned. ' +
      'Callers who want a reply need to leave contact details; remaining anonymous is also fine.',
    sort_order: 140,
  },
  {
    service_code: 'other',
    group_code: 'feedback',
    name_sv: 'Övrigt',
    name_en: 'Other',
    description_sv: 'Fel eller problem i offentlig miljö som inte passar någon annan kategori.',
    description_en: 'A fault or problem in a public space that fits no other category.',
    keywords_sv: ['övrigt', 'annat', 'fel', 'felanmälan', 'problem', 'trasig', 'trasigt'],
    keywords_en: ['other', 'something else', 'fault', 'problem', 'broken', 'report'],
    attributes: [],
    default_priority: 2,
    sla_tiers: tiers(hours(4), workingDays(5), days(30)),
    retention_class: 'standard',
    sensitive_location: false,
    knowledge_sv: 'Använd bara när ingen annan kategori passar; handläggaren flyttar ärendet till rätt kategori. ' +
      'Akut fara för liv eller egendom ringer man 112 om.',
    knowledge_en: 'Use only when no other category fits; the handler moves the case to the right category. ' +
      'Immediate danger to life or property is for 112.',
    sort_order: 150,
  },
];
