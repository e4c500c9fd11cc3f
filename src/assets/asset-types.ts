/**
 * The checked list of asset types. Each type names the citizen category its faults belong to (so a
 * map shows street lights when "Gatubelysning" is chosen), the words used in routing explanations,
 * and attribute hints for import and the staff form. Adding a type is a data change here.
 */
export interface AssetType {
  code: string;
  name_sv: string;
  name_en: string;
  /** What one of them is called in a sentence: "ansvarig för stolpe HBG-L-00123". */
  noun_sv: string;
  noun_en: string;
  /** The category label in explanations: "Helsingborg, Gatubelysning → …". */
  category_sv: string;
  category_en: string;
  /** Citizen categories (service codes) whose map shows this type and whose reports its owner handles. */
  service_codes: string[];
  /** Default category of an operational alarm on this type. */
  alarm_service_code: string;
  /** Attribute keys an import or form usually carries, with a hint each (free JSON is allowed besides). */
  attribute_hints: Record<string, string>;
}

export const ASSET_TYPES: AssetType[] = [
  {
    code: 'street_light', name_sv: 'Belysningsstolpe', name_en: 'Street light', noun_sv: 'stolpe', noun_en: 'pole',
    category_sv: 'Gatubelysning', category_en: 'Street lighting', service_codes: ['street_light'], alarm_service_code: 'street_light',
    attribute_hints: { lamp_type: 'LED, HPS, …', wattage: 'W', height_m: 'metres', cabinet: 'code of the feeding lighting cabinet', installed: 'year' },
  },
  {
    code: 'lighting_cabinet', name_sv: 'Belysningsskåp', name_en: 'Lighting cabinet', noun_sv: 'belysningsskåp', noun_en: 'lighting cabinet',
    category_sv: 'Gatubelysning', category_en: 'Street lighting', service_codes: ['street_light'], alarm_service_code: 'street_light',
    attribute_hints: { circuits: 'number of circuits', meter_id: 'electricity meter id', control: 'photocell, clock, remote' },
  },
  {
    code: 'pump_station', name_sv: 'Pumpstation', name_en: 'Pump station', noun_sv: 'pumpstation', noun_en: 'pump station',
    category_sv: 'Vatten och avlopp', category_en: 'Water and sewerage', service_codes: ['water_leak'], alarm_service_code: 'water_leak',
    attribute_hints: { medium: 'sewage, storm water, drinking water', pumps: 'number of pumps', capacity_l_s: 'litres per second', telemetry_id: 'id in the SCADA system' },
  },
  {
    code: 'playground', name_sv: 'Lekplats', name_en: 'Playground', noun_sv: 'lekplats', noun_en: 'playground',
    category_sv: 'Lekplatser', category_en: 'Playgrounds', service_codes: ['playground'], alarm_service_code: 'playground',
    attribute_hints: { equipment: 'swing, slide, …', inspected: 'date of the last safety inspection (EN 1176)' },
  },
  {
    code: 'bench', name_sv: 'Parkbänk', name_en: 'Bench', noun_sv: 'bänk', noun_en: 'bench',
    category_sv: 'Parker', category_en: 'Parks', service_codes: ['park'], alarm_service_code: 'park',
    attribute_hints: { material: 'wood, metal, stone' },
  },
  {
    code: 'bin', name_sv: 'Papperskorg', name_en: 'Litter bin', noun_sv: 'papperskorg', noun_en: 'bin',
    category_sv: 'Renhållning', category_en: 'Street cleaning', service_codes: ['full_bin'], alarm_service_code: 'full_bin',
    attribute_hints: { volume_l: 'litres', emptying: 'times per week', fill_sensor: 'sensor id' },
  },
  {
    code: 'traffic_sign', name_sv: 'Vägmärke', name_en: 'Traffic sign', noun_sv: 'vägmärke', noun_en: 'sign',
    category_sv: 'Trafikskyltar', category_en: 'Traffic signs', service_codes: ['traffic_sign'], alarm_service_code: 'traffic_sign',
    attribute_hints: { sign_code: 'e.g. B1, C31-5 (Vägmärkesförordningen)' },
  },
  {
    code: 'bridge', name_sv: 'Bro', name_en: 'Bridge', noun_sv: 'bro', noun_en: 'bridge',
    category_sv: 'Gator och vägar', category_en: 'Streets and roads', service_codes: ['pothole', 'other'], alarm_service_code: 'other',
    attribute_hints: { span_m: 'metres', material: 'concrete, steel, wood', batman_id: 'id in the bridge register' },
  },
  {
    code: 'road_segment', name_sv: 'Gatusträcka', name_en: 'Road segment', noun_sv: 'gatusträcka', noun_en: 'road segment',
    category_sv: 'Gator och vägar', category_en: 'Streets and roads', service_codes: ['pothole', 'snow_ice'], alarm_service_code: 'pothole',
    attribute_hints: { street: 'street name', winter_class: 'snow clearing priority' },
  },
  {
    code: 'tree', name_sv: 'Träd', name_en: 'Tree', noun_sv: 'träd', noun_en: 'tree',
    category_sv: 'Parker', category_en: 'Parks', service_codes: ['fallen_tree', 'park'], alarm_service_code: 'fallen_tree',
    attribute_hints: { species: 'Latin name', planted: 'year' },
  },
  {
    code: 'water_valve', name_sv: 'Ventil', name_en: 'Water valve', noun_sv: 'ventil', noun_en: 'valve',
    category_sv: 'Vatten och avlopp', category_en: 'Water and sewerage', service_codes: ['water_leak'], alarm_service_code: 'water_leak',
    attribute_hints: { diameter_mm: 'millimetres' },
  },
];

const BY_CODE = new Map(ASSET_TYPES.map((t) => [t.code, t]));

/** The type with this code, or undefined. */
export function assetType(code: string): AssetType | undefined {
  return BY_CODE.get(code);
}

/** Types whose assets a map should show for a citizen category. */
export function assetTypesForService(serviceCode: string): string[] {
  return ASSET_TYPES.filter((t) => t.service_codes.includes(serviceCode)).map((t) => t.code);
}
