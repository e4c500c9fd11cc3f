/** When this API's contract last changed; clients compare it to notice changes. */
export const CHANGESET = '2026-11-23T00:00:00Z';

/** The discovery document: where the GeoReport v2 endpoint is and which formats it speaks. */
export function discoveryDocument(publicBaseUrl: string) {
  return {
    changeset: CHANGESET,
    contact: `Ingång Open311 – ${publicBaseUrl}/docs (API description); write to your municipality for questions about a case`,
    key_service: 'API keys are issued per client application by the operator (npm run ingang -- api-key create --name <app>)',
    endpoints: [
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: `${publicBaseUrl}/open311/v2/`,
        changeset: CHANGESET,
        type: 'production',
        formats: ['text/xml', 'application/json'],
      },
    ],
  };
}
