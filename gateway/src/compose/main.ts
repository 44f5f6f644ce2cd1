import { compose, staleFiles, writeComposition } from './compose';

const check = process.argv.includes('--check');
const composition = await compose();
if (check) {
  const stale = await staleFiles(composition);
  if (stale.length) {
    console.error(`Stale schema files (run pnpm compose and commit): ${stale.join(', ')}`);
    process.exit(1);
  }
  console.log('schema/ is current');
} else {
  await writeComposition(composition);
  console.log(`wrote ${Object.keys(composition.files).map((f) => `schema/${f}`).join(', ')}`);
}
