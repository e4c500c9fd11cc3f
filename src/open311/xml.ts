import { XMLBuilder, XMLParser } from 'fast-xml-parser';

/**
 * XML for GeoReport v2: UTF-8 with a declaration, no namespace. A JSON-shaped value becomes XML by one
 * rule: a list field `foo` holds repeated `<child>` elements named by LIST_CHILD (`attributes` →
 * `attribute`), null becomes an empty element (clients such as FixMyStreet read empty as missing).
 */
export const LIST_CHILD: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  service_request_updates: 'request_update',
  errors: 'error',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
  media_urls: 'media_url',
  notes: 'note',
  groups: 'group',
};

/** True when an element is an item of a list, so a single child still parses as a list. */
function isListItem(name: string, jpath: string): boolean {
  const parts = jpath.split('.');
  const parent = parts[parts.length - 2];
  return parent !== undefined && LIST_CHILD[parent] === name;
}

type Plain = string | number | boolean | null | undefined | Date | Plain[] | { [key: string]: Plain };

function toXmlValue(key: string, value: Plain): unknown {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const child = LIST_CHILD[key] ?? 'item';
    return value.length === 0 ? '' : { [child]: value.map((v) => toXmlValue(child, v)) };
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toXmlValue(k, v);
    return out;
  }
  return String(value);
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: false, processEntities: true });

/** Renders a list (root `services` → `<services><service>…`) or an object (root `discovery`) as an XML document. */
export function toXml(root: string, value: Plain): string {
  const doc = { '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' }, [root]: toXmlValue(root, value) };
  return builder.build(doc) as string;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name, jpath, _isLeaf, isAttribute) => !isAttribute && isListItem(name, String(jpath)),
});

/** Parses an XML document into plain objects; list children are always arrays, leaves stay strings. */
export function parseXml(text: string): Record<string, unknown> {
  return parser.parse(text) as Record<string, unknown>;
}
