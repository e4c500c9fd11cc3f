import { buildTemplate } from '../test/helpers/context.js';

// Builds the seeded database that every test file copies (see test/helpers/context.ts).
const pgUrl = process.env.INGANG_TEST_PG_URL;
await buildTemplate(pgUrl ? { pgUrl } : { pgliteFile: process.env.INGANG_TEST_PGLITE_TEMPLATE });
