import { buildDemoImage, DEMO_IMAGE } from '../src/seed/demo-image.js';

// Run by `npm install` (postinstall): a failure only costs the fast first start, so it warns and exits 0.
try {
  const started = Date.now();
  const cases = await buildDemoImage();
  console.log(`Built the demo database image (${cases} cases) in ${((Date.now() - started) / 1000).toFixed(1)} s: ${DEMO_IMAGE}`);
} catch (error) {
  console.warn(`Could not build the demo database image; the first start will seed instead: ${(error as Error).message}`);
}
