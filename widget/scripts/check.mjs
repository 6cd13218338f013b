// npm run check (CI): rebuild into a temp file and fail if the committed
// ../api/static/widget.js differs, or if the bundle is over its gzip budget.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundle, outFile, GZIP_BUDGET } from './bundle.mjs';

const dir = await mkdtemp(join(tmpdir(), 'shopbot-widget-'));
let failed = false;
try {
  const tmpFile = join(dir, 'widget.js');
  await writeFile(tmpFile, await bundle());
  const fresh = await readFile(tmpFile);
  const shown = relative(process.cwd(), outFile);
  let committed = null;
  try {
    committed = await readFile(outFile);
  } catch {
    console.error(`FAIL ${shown} is missing: run "npm run build" and commit it`);
    failed = true;
  }
  if (committed && !committed.equals(fresh)) {
    let at = 0;
    while (at < fresh.length && committed[at] === fresh[at]) at++;
    console.error(
      `FAIL ${shown} is stale (${committed.length} bytes committed, ${fresh.length} rebuilt, ` +
        `first difference at byte ${at}): run "npm run build" and commit it`,
    );
    failed = true;
  } else if (committed) {
    console.log(`ok   ${shown} matches a fresh build (${fresh.length} bytes)`);
  }
  const gz = gzipSync(fresh, { level: 9 }).length;
  if (gz > GZIP_BUDGET) {
    console.error(`FAIL gzipped size ${gz} bytes is over the ${GZIP_BUDGET}-byte budget`);
    failed = true;
  } else {
    console.log(`ok   gzipped size ${gz} bytes <= ${GZIP_BUDGET}-byte budget`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
