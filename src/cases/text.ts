import { badInput } from '../shared/errors.js';

const HTML_TAG = /<\/?[a-z!][^>]*>/i;

/** A staff-written text (note, public update, instructions): trimmed, 1..max characters, no HTML. */
export function plainText(field: string, value: string | null | undefined, max = 4000, required = true): string | null {
  const text = (value ?? '').replace(/\r\n/g, '\n').trim();
  if (!text) {
    if (required) throw badInput(field, 'must not be empty', 'får inte vara tomt');
    return null;
  }
  if (text.length > max) throw badInput(field, `must be at most ${max} characters`, `får vara högst ${max} tecken`);
  if (HTML_TAG.test(text)) throw badInput(field, 'must be plain text, without HTML', 'ska vara vanlig text utan HTML');
  return text;
}
