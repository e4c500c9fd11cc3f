import cliProgress from 'cli-progress';
import { loadConfig } from '../config.js';
import { openContext } from '../bootstrap.js';
import { UsageError, type Command } from '../cli/registry.js';
import { parseMapArgument } from './mapping.js';
import { csvSource, open311Source } from './sources.js';
import { importCases, type ImportSummary } from './service.js';

const SHOWN_ERRORS = 50;

/** Prints the summary: counts, then the first errors with their line numbers. */
export function formatSummary(s: ImportSummary): string {
  const lines = [`Source ${s.source}: read ${s.read}, imported ${s.imported}, skipped ${s.skipped} (already imported), errors ${s.errors.length}.`];
  for (const e of s.errors.slice(0, SHOWN_ERRORS)) lines.push(`  line ${e.line}: ${e.field}: ${e.message}`);
  if (s.errors.length > SHOWN_ERRORS) lines.push(`  … and ${s.errors.length - SHOWN_ERRORS} more errors`);
  return lines.join('\n');
}

/** `ingang import <file.csv> --municipality <kod> --map <mapping>` and `ingang import --from-open311 <url|file> --municipality <kod>`. */
export const importCommand: Command = {
  name: 'import',
  summary: 'Import historical cases from CSV (with a column mapping) or an Open311 server or dump; re-runs skip what is there',
  usage: 'import <file.csv> --municipality <kommunkod> --map <mapping.json | id=Id,category=Kategori,created=Skapad,category.Potholes=pothole,...>\n' +
    '       import --from-open311 <url | requests.json | requests.xml> --municipality <kommunkod> [--map <mapping>]\n' +
    '       options: --dry-run (validate only), --no-progress',
  options: { municipality: { type: 'string' }, map: { type: 'string' }, 'from-open311': { type: 'string' }, 'dry-run': { type: 'boolean' }, 'no-progress': { type: 'boolean' } },
  allowPositionals: true,
  async run({ values, positionals }) {
    const municipality = values.municipality;
    if (typeof municipality !== 'string' || !/^\d{4}$/.test(municipality)) throw new UsageError('import needs --municipality <four-digit kommunkod>');
    const open311 = values['from-open311'];
    const file = positionals[0];
    if (!file === !(typeof open311 === 'string')) throw new UsageError('import takes either a CSV file or --from-open311 <url|file>');
    const mapping = parseMapArgument(typeof values.map === 'string' ? values.map : undefined);
    const source = typeof open311 === 'string' ? await open311Source(open311, mapping) : csvSource(file!, mapping);
    const { ctx, handle } = await openContext(loadConfig());
    const bar = values['no-progress'] || !process.stderr.isTTY && process.env.INGANG_PROGRESS !== '1'
      ? null
      : new cliProgress.SingleBar({ stream: process.stderr, format: 'import |{bar}| {percentage}% · {imported} imported · {errors} errors', hideCursor: true }, cliProgress.Presets.shades_classic);
    bar?.start(source.total, 0, { imported: 0, errors: 0 });
    try {
      const summary = await importCases({ ...ctx, pool: handle.pool }, {
        source, municipalityCode: municipality, mapping, dryRun: values['dry-run'] === true,
        onProgress: (done, s) => bar?.update(done, { imported: s.imported, errors: s.errors.length }),
      });
      bar?.stop();
      console.log(formatSummary(summary));
      if (values['dry-run']) console.log('Dry run: nothing was written.');
      return summary.errors.length ? 1 : 0;
    } finally {
      bar?.stop();
      await handle.close();
    }
  },
};
