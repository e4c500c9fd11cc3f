import type { TestContext } from '../helpers/context.js';
import type { NewCaseInput } from '../../src/cases/service.js';

/** A point in central Helsingborg (routed to kommun-1283). */
export const HELSINGBORG = { lat: 56.0465, lon: 12.6945 };

/** Creates a street-light case in Helsingborg with a reporter, through the one case service. */
export async function helsingborgCase(t: TestContext, over: Partial<NewCaseInput> = {}) {
  const { case: kase } = await t.ctx.cases.createCase({
    service_code: 'street_light', location: HELSINGBORG, attributes: { is_dark: 'yes' }, channel: 'web',
    description: 'Gatlampan är släckt', reporter: { name: 'Test Testsson', email: 'test.testsson@example.se', phone: '070-123 45 67' },
    ...over,
  });
  return kase;
}

/** A point `metres` north of another. */
export function north(p: { lat: number; lon: number }, metres: number) {
  return { lat: p.lat + metres / 111_320, lon: p.lon };
}

/** A multipart/form-data body for app.inject. */
export function multipart(fields: Record<string, string>, file?: { name: string; data: Buffer; type?: string }) {
  const boundary = `----ingang${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="photo.jpg"\r\nContent-Type: ${file.type ?? 'image/jpeg'}\r\n\r\n`));
    parts.push(file.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
