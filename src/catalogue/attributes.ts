import type { ServiceAttribute } from '../db/types.js';
import { badInput } from '../shared/errors.js';

export type AttributeValues = Record<string, string | string[]>;

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Checks submitted answers against a service's Open311 attribute definitions: required answers are
 * present, numbers are numbers, list answers are among the allowed keys, and no unknown code slips in.
 * `fieldName` renders the client's name for the field, e.g. "attribute[is_dark]".
 */
export function validateAttributes(
  definitions: ServiceAttribute[],
  values: AttributeValues,
  fieldName: (code: string) => string = (code) => `attribute[${code}]`,
): AttributeValues {
  const byCode = new Map(definitions.map((d) => [d.code, d]));
  const clean: AttributeValues = {};
  for (const code of Object.keys(values)) {
    if (!byCode.has(code)) {
      throw badInput(fieldName(code), `is not a question of this service (known: ${[...byCode.keys()].join(', ') || 'none'})`,
        'är ingen fråga för den här kategorin');
    }
  }
  for (const def of definitions) {
    if (!def.variable) continue;
    const raw = values[def.code];
    const list = raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]).map((v) => String(v).trim()).filter((v) => v !== '');
    const field = fieldName(def.code);
    if (list.length === 0) {
      if (def.required) throw badInput(field, `is required (${def.description_en})`, `måste besvaras (${def.description_sv})`, 'missing_field');
      continue;
    }
    if (def.datatype !== 'multivaluelist' && list.length > 1) throw badInput(field, 'takes one value', 'tar bara ett värde');
    const allowed = new Set((def.values ?? []).map((v) => v.key));
    switch (def.datatype) {
      case 'number':
        if (!Number.isFinite(Number(list[0].replace(',', '.')))) throw badInput(field, 'must be a number', 'måste vara ett tal');
        clean[def.code] = list[0].replace(',', '.');
        break;
      case 'datetime':
        if (!DATETIME.test(list[0]) || Number.isNaN(Date.parse(list[0]))) {
          throw badInput(field, 'must be an ISO 8601 date and time with a zone, e.g. 2026-11-23T08:00:00+01:00', 'måste vara datum och tid (ISO 8601)');
        }
        clean[def.code] = list[0];
        break;
      case 'singlevaluelist':
      case 'multivaluelist':
        for (const v of list) {
          if (!allowed.has(v)) throw badInput(field, `"${v}" is not one of ${[...allowed].join(', ')}`, `"${v}" är inte ett av ${[...allowed].join(', ')}`);
        }
        clean[def.code] = def.datatype === 'multivaluelist' ? list : list[0];
        break;
      default:
        if (list[0].length > 1000) throw badInput(field, 'must be at most 1000 characters', 'får vara högst 1000 tecken');
        clean[def.code] = list[0];
    }
  }
  return clean;
}
