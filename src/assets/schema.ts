import { Type } from '@fastify/type-provider-typebox';

const Bbox = Type.String({ description: 'minLon,minLat,maxLon,maxLat (WGS84); at most 0.5° each way — maps ask when zoomed in', examples: ['12.68,56.03,12.72,56.06'] });

export const StaffListQuery = Type.Object({
  bbox: Bbox,
  type: Type.Optional(Type.String({ description: 'asset type(s), comma-separated', maxLength: 300 })),
});

export const PublicListQuery = Type.Object({
  bbox: Bbox,
  service_code: Type.Optional(Type.String({ maxLength: 60, description: 'the chosen category: only its asset types are returned' })),
});

const Attributes = Type.Record(Type.String(), Type.Unknown());
const State = Type.Union([Type.Literal('in_use'), Type.Literal('out_of_use')]);
const Geometry = Type.Union([
  Type.Null(),
  Type.Object({ type: Type.Union([Type.Literal('Point'), Type.Literal('LineString')]), coordinates: Type.Array(Type.Unknown(), { minItems: 2 }) }),
]);

export const AssetBody = Type.Object({
  type: Type.String({ minLength: 1, maxLength: 60 }),
  code: Type.String({ minLength: 1, maxLength: 100 }),
  name: Type.Optional(Type.String({ maxLength: 200 })),
  lat: Type.Number(),
  lon: Type.Number(),
  geometry: Type.Optional(Geometry),
  attributes: Type.Optional(Attributes),
  state: Type.Optional(State),
  responsible_organisation: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Integer(), Type.Null()], { description: 'id, slug or kommunkod; the owner when absent' })),
}, { additionalProperties: false });

export const AssetPatch = Type.Partial(AssetBody, { additionalProperties: false });

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export const FeatureCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  truncated: Type.Boolean({ description: 'true when more assets lie in the box than were returned: zoom in' }),
  features: Type.Array(Type.Object({
    type: Type.Literal('Feature'),
    id: Type.Integer(),
    geometry: Type.Unknown(),
    properties: Type.Record(Type.String(), Type.Unknown()),
  })),
});

export const AssetTypeList = Type.Array(Type.Object({
  code: Type.String(), name_sv: Type.String(), name_en: Type.String(), service_codes: Type.Array(Type.String()),
  attribute_hints: Type.Record(Type.String(), Type.String()),
}));

export const AssetImportBody = Type.Object({
  format: Type.Union([Type.Literal('csv'), Type.Literal('geojson')]),
  content: Type.String({ minLength: 1, description: 'the file content' }),
  map: Type.Optional(Type.String({ maxLength: 500, description: 'field=column pairs, e.g. code=stolpnr,lat=N,lon=E' })),
  type: Type.Optional(Type.String({ maxLength: 60 })),
  crs: Type.Optional(Type.Union([Type.Literal('EPSG:4326'), Type.Literal('EPSG:3006')])),
  responsible: Type.Optional(Type.String({ maxLength: 100 })),
});
