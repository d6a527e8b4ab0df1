#!/usr/bin/env node
// The CLI is written in TypeScript and runs from a bundle of it (api/bin/bundle.js), rebuilt on the
// first command after a source changes, so there is no build step to forget. Where no bundle can
// be written, tsx compiles the sources on the fly instead.
import { pathToFileURL } from 'node:url';
import { freshBundle } from './bundle.js';

// A reader that stops early (`bearing query … | head`) closes the pipe: stop quietly, as other tools do.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const bundle = await freshBundle();
let main;
if (bundle) {
  // The offload workers this command starts load their tasks from the same bundle.
  process.env.BEARING_BUNDLE_DIR = bundle;
  ({ main } = await import(pathToFileURL(`${bundle}/bearing.mjs`).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
