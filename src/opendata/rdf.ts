// A tiny RDF model with two serialisations (JSON-LD and RDF/XML) for the DCAT-AP-SE description: the Swedish
// data portal harvests RDF/XML; JSON-LD is easier for people and scripts. One model keeps them identical.

export const PREFIXES = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dcterms: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
} as const;

export type Value = { lit: string; lang?: string; dt?: 'xsd:date' | 'xsd:dateTime' } | { ref: string } | RdfNode;
/** A resource: its IRI (or a blank node), its class and its properties (prefixed names). */
export interface RdfNode {
  id?: string;
  type: string;
  props: Record<string, Value[]>;
}

/** Literal helpers. */
export const lit = (lit: string, lang?: string): Value => ({ lit, lang });
export const date = (d: Date): Value => ({ lit: d.toISOString().slice(0, 10), dt: 'xsd:date' });
export const dateTime = (d: Date): Value => ({ lit: d.toISOString(), dt: 'xsd:dateTime' });
export const ref = (iri: string): Value => ({ ref: iri });

function isNode(v: Value): v is RdfNode {
  return 'props' in v;
}

function jsonValue(v: Value): unknown {
  if (isNode(v)) return toJsonLdNode(v);
  if ('ref' in v) return { '@id': v.ref };
  if (v.lang) return { '@value': v.lit, '@language': v.lang };
  if (v.dt) return { '@value': v.lit, '@type': v.dt };
  return v.lit;
}

function toJsonLdNode(node: RdfNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (node.id) out['@id'] = node.id;
  out['@type'] = node.type;
  for (const [key, values] of Object.entries(node.props)) out[key] = values.length === 1 ? jsonValue(values[0]) : values.map(jsonValue);
  return out;
}

/** The graph as a JSON-LD document with a prefix context. */
export function toJsonLd(root: RdfNode): Record<string, unknown> {
  return { '@context': PREFIXES, ...toJsonLdNode(root) };
}

function xmlEsc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

function expand(prefixed: string): string {
  const [prefix, local] = prefixed.split(':') as [keyof typeof PREFIXES, string];
  return PREFIXES[prefix] + local;
}

function xmlNode(node: RdfNode, indent: string): string {
  const about = node.id ? ` rdf:about="${xmlEsc(node.id)}"` : '';
  const inner = Object.entries(node.props).flatMap(([key, values]) => values.map((v) => {
    if (isNode(v)) return `${indent}  <${key}>\n${xmlNode(v, indent + '    ')}\n${indent}  </${key}>`;
    if ('ref' in v) return `${indent}  <${key} rdf:resource="${xmlEsc(v.ref)}"/>`;
    const attrs = v.lang ? ` xml:lang="${v.lang}"` : v.dt ? ` rdf:datatype="${expand(v.dt)}"` : '';
    return `${indent}  <${key}${attrs}>${xmlEsc(v.lit)}</${key}>`;
  }));
  return `${indent}<${node.type}${about}>\n${inner.join('\n')}\n${indent}</${node.type}>`;
}

/** The graph as RDF/XML. */
export function toRdfXml(root: RdfNode): string {
  const ns = Object.entries(PREFIXES).map(([p, iri]) => `xmlns:${p}="${iri}"`).join('\n         ');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rdf:RDF ${ns}>\n${xmlNode(root, '  ')}\n</rdf:RDF>\n`;
}
