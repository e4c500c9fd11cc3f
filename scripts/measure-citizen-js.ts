// Prints the gzip size of all JavaScript the citizen pages can load (the entry, its static imports and the
// lazily loaded map chunks), read from the built web/dist. Budget: 350 KB gzip. Run `npm run build` first.
// Usage: tsx scripts/measure-citizen-js.ts [--json]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../web/dist');
const BUDGET = 350 * 1024;

/** Every JS file reachable from the citizen index.html, with raw and gzip bytes. */
export function measureCitizenJs(dist = DIST): { files: { file: string; bytes: number; gzip: number }[]; total_gzip: number; budget: number } {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const queue = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  const seen = new Set<string>();
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = fs.readFileSync(path.join(dist, file), 'utf8');
    // Static imports, dynamic import() and Vite's preload dependency lists all name sibling chunks.
    for (const m of text.matchAll(/["'`](?:\.\/|\/?assets\/)?([\w.-]+\.js)["'`]/g)) {
      const candidate = `assets/${m[1]}`;
      if (fs.existsSync(path.join(dist, candidate))) queue.push(candidate);
    }
  }
  const files = [...seen].sort().map((file) => {
    const data = fs.readFileSync(path.join(dist, file));
    return { file, bytes: data.length, gzip: zlib.gzipSync(data, { level: 9 }).length };
  });
  return { files, total_gzip: files.reduce((n, f) => n + f.gzip, 0), budget: BUDGET };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = measureCitizenJs();
  if (process.argv.includes('--json')) console.log(JSON.stringify(result));
  else {
    for (const f of result.files) console.log(`${f.file.padEnd(40)} ${(f.bytes / 1024).toFixed(1).padStart(8)} KB  ${(f.gzip / 1024).toFixed(1).padStart(7)} KB gzip`);
    console.log(`citizen JS total: ${(result.total_gzip / 1024).toFixed(1)} KB gzip (budget ${result.budget / 1024} KB) ${result.total_gzip <= result.budget ? 'OK' : 'OVER BUDGET'}`);
  }
  if (result.total_gzip > result.budget) process.exitCode = 1;
}
