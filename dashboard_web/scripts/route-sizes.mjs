// First-load JavaScript per route of the static export, gzipped: every script an HTML page
// loads before it is interactive. Prints a table and fails above the budget (180 KB).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const BUDGET_BYTES = 180 * 1024;
const out = fileURLToPath(new URL("../out/", import.meta.url));

function htmlFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "_next" ? [] : htmlFiles(path);
    return name.endsWith(".html") ? [path] : [];
  });
}

const gzipCache = new Map();
function gzippedSize(src) {
  if (!gzipCache.has(src)) {
    const file = join(out, src.replace(/^\/app\//, ""));
    gzipCache.set(src, gzipSync(readFileSync(file), { level: 9 }).length);
  }
  return gzipCache.get(src);
}

const rows = htmlFiles(out)
  .map((file) => {
    const html = readFileSync(file, "utf8");
    // noModule scripts are polyfills only legacy browsers download.
    const tags = [...html.matchAll(/<script[^>]+src="([^"]+\.js)"[^>]*>/g)].filter((m) => !/nomodule/i.test(m[0]));
    const scripts = new Set(tags.map((m) => m[1]));
    const bytes = [...scripts].reduce((sum, src) => sum + gzippedSize(src), 0);
    const route = "/" + relative(out, file).replace(/(^|\/)index\.html$/, "");
    return { route, scripts: scripts.size, bytes };
  })
  .sort((a, b) => a.route.localeCompare(b.route));

const kb = (bytes) => (bytes / 1024).toFixed(1).padStart(7);
console.log(`${"route".padEnd(34)} scripts  first-load JS (gzip, KB)`);
for (const row of rows) console.log(`${row.route.padEnd(34)} ${String(row.scripts).padStart(7)}  ${kb(row.bytes)}`);
const over = rows.filter((row) => row.bytes > BUDGET_BYTES);
console.log(`budget ${kb(BUDGET_BYTES).trim()} KB; largest ${kb(Math.max(...rows.map((r) => r.bytes))).trim()} KB`);
if (over.length > 0) {
  console.error(`over budget: ${over.map((row) => row.route).join(", ")}`);
  process.exit(1);
}
