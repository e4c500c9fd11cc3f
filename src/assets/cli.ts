import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { openContext } from '../bootstrap.js';
import { UsageError, type Command } from '../cli/registry.js';
import { ASSET_TYPES } from './asset-types.js';
import { AssetImportError, formatProblem, importAssets, parseMapping, type Crs } from './import.js';
import { findOrganisation } from './repo.js';
import { progressBar } from './progress.js';

const MAX_PROBLEMS_SHOWN = 50;

/** `assets import <file> …` and `assets types`. */
export const assetsCommand: Command = {
  name: 'assets',
  summary: 'Asset register: import street lights, pumps, playgrounds … from GeoJSON or CSV; list the asset types',
  usage: 'assets import <file.csv|file.geojson> --organisation <kommunkod|slug> [--map code=col,type=col,lat=col,lon=col,n=col,e=col,name=col,state=col,responsible=col]\n' +
    '                     [--type <asset type>] [--crs EPSG:4326|EPSG:3006] [--responsible <kommunkod|slug>] [--format csv|geojson]\n' +
    '       assets types',
  options: {
    organisation: { type: 'string' }, map: { type: 'string' }, type: { type: 'string' }, crs: { type: 'string' },
    responsible: { type: 'string' }, format: { type: 'string' },
  },
  allowPositionals: true,
  async run({ values, positionals }) {
    const [action, file] = positionals;
    if (action === 'types') {
      for (const t of ASSET_TYPES) {
        console.log(`${t.code.padEnd(18)} ${t.name_sv} / ${t.name_en}  (categories: ${t.service_codes.join(', ')})`);
        console.log(`${''.padEnd(18)} attributes: ${Object.entries(t.attribute_hints).map(([k, v]) => `${k} (${v})`).join('; ')}`);
      }
      return 0;
    }
    if (action !== 'import') throw new UsageError(action ? `unknown assets action "${action}"` : 'assets needs an action: import or types');
    if (!file) throw new UsageError('assets import needs a file');
    const organisation = values.organisation;
    if (typeof organisation !== 'string' || !organisation.trim()) throw new UsageError('assets import needs --organisation <kommunkod|slug>');
    const crs = values.crs as string | undefined;
    if (crs !== undefined && crs !== 'EPSG:4326' && crs !== 'EPSG:3006') throw new UsageError('--crs must be EPSG:4326 (WGS84) or EPSG:3006 (SWEREF 99 TM)');
    const format = (values.format as string | undefined) ?? (/\.(geo)?json$/i.test(file) ? 'geojson' : 'csv');
    if (format !== 'csv' && format !== 'geojson') throw new UsageError('--format must be csv or geojson');
    let mapping;
    try {
      mapping = parseMapping(values.map as string | undefined);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    let text: string;
    try {
      text = fs.readFileSync(path.resolve(file), 'utf8');
    } catch (error) {
      console.error(`Cannot read ${file}: ${(error as Error).message}`);
      return 1;
    }

    const { ctx, handle } = await openContext(loadConfig());
    try {
      const org = await findOrganisation(ctx.db, organisation.trim());
      if (!org) throw new UsageError(`--organisation: no organisation "${organisation}"`);
      const bar = progressBar();
      const summary = await importAssets(ctx.db, {
        organisationId: org.id, text, format, mapping, crs: crs as Crs | undefined,
        defaultType: values.type as string | undefined, defaultResponsible: values.responsible as string | undefined,
        onProgress: (phase, done, total) => bar(phase === 'validate' ? 'Checking' : 'Writing', done, total),
      });
      console.log(`Imported ${summary.total} assets for ${org.name_sv} (${summary.crs}): ${summary.inserted} new, ${summary.updated} updated, ${summary.unchanged} unchanged.`);
      return 0;
    } catch (error) {
      if (!(error instanceof AssetImportError)) throw error;
      console.error(`Nothing was imported: ${error.problems.length} problem(s) in ${file}.`);
      for (const p of error.problems.slice(0, MAX_PROBLEMS_SHOWN)) console.error(`  ${formatProblem(p)}`);
      if (error.problems.length > MAX_PROBLEMS_SHOWN) console.error(`  … and ${error.problems.length - MAX_PROBLEMS_SHOWN} more`);
      return 1;
    } finally {
      await handle.close();
    }
  },
};
