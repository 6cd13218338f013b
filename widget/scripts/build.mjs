// npm run build: write ../api/static/widget.js and report its size.

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundle, outFile, GZIP_BUDGET } from './bundle.mjs';

const bytes = await bundle();
await mkdir(dirname(outFile), { recursive: true });
await writeFile(outFile, bytes);
const gz = gzipSync(bytes, { level: 9 }).length;
console.log(
  `wrote ${relative(process.cwd(), outFile)}: ${bytes.length} bytes, ${gz} bytes gzipped ` +
    `(${((gz / GZIP_BUDGET) * 100).toFixed(1)}% of the ${GZIP_BUDGET / 1024} KB budget)`,
);
