// Shared by build.mjs and check.mjs: bundle src/ into one minified IIFE,
// in memory. Deterministic: no timestamps, no absolute paths, no source map.

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import * as esbuild from 'esbuild';

export const widgetDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const outFile = join(widgetDir, '..', 'api', 'static', 'widget.js');
// 12 KiB until the hand-off form and the replies poll (issue 18) took it to 13,108 B:
// the least that fits them, with a few bytes of room. Then 13,232 B: splitting the view
// (ui.js) into modules by responsibility costs 113 B gzipped (13,221 B), with no new
// behaviour: parameters and returned objects between the modules instead of one closure.
// Extracting even one module (the product cards) cost 24 B, so no split fits 13,120 B.
// Then 13,310 B when a Retry after an interrupted answer kept its stored question's
// ids (retry_of): 13,298 B, +77 B.
export const GZIP_BUDGET = 13_310;

/** Import *.css as a minified string. */
const cssAsText = {
  name: 'css-as-text',
  /** @param {esbuild.PluginBuild} build */
  setup(build) {
    build.onLoad({ filter: /\.css$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const { code } = await esbuild.transform(source, { loader: 'css', minify: true, target: ['chrome80', 'edge88', 'firefox78', 'safari15'] });
      return { contents: 'export default ' + JSON.stringify(code.trim()), loader: 'js' };
    });
  },
};

/** @returns {Promise<Uint8Array>} the bundle's bytes */
export async function bundle() {
  const pkg = JSON.parse(await readFile(join(widgetDir, 'package.json'), 'utf8'));
  const result = await esbuild.build({
    absWorkingDir: widgetDir,
    entryPoints: ['src/index.js'],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020', 'chrome80', 'edge88', 'firefox78', 'safari15'],
    charset: 'ascii',
    legalComments: 'none',
    sourcemap: false,
    write: false,
    logLevel: 'warning',
    define: { __SHOPBOT_VERSION__: JSON.stringify(pkg.version) },
    banner: { js: `/*! Shopbot widget ${pkg.version} */` },
    plugins: [cssAsText],
    // Don't let tsconfig.json (type checking only) steer the output; keep the
    // strict-mode semantics the ES-module sources were written for.
    tsconfigRaw: { compilerOptions: { alwaysStrict: true } },
    outfile: 'widget.js',
  });
  return result.outputFiles[0].contents;
}
