/**
 * `npm run prepare` (after tsc): bundles the compiled command line into the bin (engine/package-root.ts's binPath,
 * dist/bin/rems-play.js), with the chunks it imports on demand beside it in dist/bin/chunks/. Node 20 loads an ES
 * module graph file by file, and a run's 233 compiled files cost it about 0.1 s before the first task (an eighth of
 * a one-host audit); one bundle loads in a fraction of that. The dependencies (nunjucks, ssh2, yaml, ...) stay in
 * node_modules, imported as they are. Only the bin is bundled: the tests and scripts that import engine files use
 * the compiled tree.
 */
import { chmodSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { build } from "esbuild";
import { binPath, packageRoot } from "../engine/package-root.js";

const outdir = dirname(binPath);
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { "rems-play": join(packageRoot, "dist", "engine", "cli.js") },
  outdir,
  bundle: true,
  // Dynamic imports stay lazy: --version and --help do not load the engine (engine/cli.ts).
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  // Stack traces of the bin map back to the TypeScript sources (node --enable-source-maps).
  sourcemap: true,
  logLevel: "warning",
});
chmodSync(binPath, 0o755);
