// The committed export (out/) is what `shopbot serve` serves. This rebuilds it and fails
// when the fresh build differs from what is committed (as widget.js is checked), so the
// README's run command, which needs no Node.js, always shows the current app.
import { execFileSync } from "node:child_process";

const run = (command, args) => execFileSync(command, args, { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });

run("npx", ["next", "build"]);
const changed = run("git", ["status", "--porcelain", "--untracked-files=all", "--", "out"]).trim();
if (changed) {
  console.error(`out/ differs from a fresh build; run \`npm run build\` in dashboard_web and commit out/:\n${changed}`);
  process.exit(1);
}
console.log("out/ matches a fresh build");
