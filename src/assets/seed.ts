import type { AppContext } from '../app-context.js';
import { setClearSetsFixed } from '../alarms/repo.js';
import { findOrganisation, upsertAssets, type AssetValues } from './repo.js';

/** Street lights along Drottninggatan in Helsingborg, looked after by the lighting contractor. */
const HELSINGBORG_LIGHTS: [code: string, lat: number, lon: number][] = [
  ['HBG-L-00121', 56.04402, 12.69389], ['HBG-L-00122', 56.04455, 12.69342], ['HBG-L-00123', 56.04508, 12.69296],
  ['HBG-L-00124', 56.04561, 12.69250], ['HBG-L-00125', 56.04614, 12.69203], ['HBG-L-00126', 56.04667, 12.69157],
];

/**
 * The demo's assets: a few street lights and their cabinet in Helsingborg whose responsible
 * organisation is the contractor Ljusdrift, a playground, and a sewage pump station in Köping whose
 * telemetry closes its cases when an alarm clears. Idempotent (upsert on code).
 */
export async function seedDemoAssets(ctx: AppContext): Promise<void> {
  const helsingborg = await findOrganisation(ctx.db, 'kommun-1283');
  const koping = await findOrganisation(ctx.db, 'kommun-1983');
  const ljusdrift = await findOrganisation(ctx.db, 'ljusdrift');
  if (!helsingborg || !koping || !ljusdrift) return;
  const base = { geometry: null, state: 'in_use' as const };
  const rows: AssetValues[] = [
    ...HELSINGBORG_LIGHTS.map(([code, lat, lon]): AssetValues => ({
      ...base, organisation_id: helsingborg.id, responsible_organisation_id: ljusdrift.id, type: 'street_light', code,
      name: 'Drottninggatan', lat, lon, attributes: { lamp_type: 'LED', wattage: 36, height_m: 8, cabinet: 'HBG-BS-017' },
    })),
    {
      ...base, organisation_id: helsingborg.id, responsible_organisation_id: ljusdrift.id, type: 'lighting_cabinet', code: 'HBG-BS-017',
      name: 'Belysningsskåp Drottninggatan', lat: 56.04430, lon: 12.69420, attributes: { circuits: 4, control: 'photocell' },
    },
    {
      ...base, organisation_id: helsingborg.id, responsible_organisation_id: helsingborg.id, type: 'playground', code: 'HBG-LEK-031',
      name: 'Lekplatsen i Slottshagen', lat: 56.05030, lon: 12.70210, attributes: { equipment: 'swings, slide', inspected: '2026-05-12' },
    },
  ];
  await upsertAssets(ctx.db, rows);
  await upsertAssets(ctx.db, [{
    ...base, organisation_id: koping.id, responsible_organisation_id: koping.id, type: 'pump_station', code: 'KPG-PS-07',
    name: 'Avloppspumpstation Ströbohög', lat: 59.51890, lon: 16.00850, attributes: { medium: 'sewage', pumps: 2, capacity_l_s: 40, telemetry_id: 'PS07' },
  }]);
  await setClearSetsFixed(ctx.db, koping.id, true);
}
