/**
 * `npm run prepare` (after tsc): bundles the compiled command line into the bin, dist/bin/rems-play.js, with the
 * chunks it imports on demand beside it in dist/bin/chunks/. Node loads an ES module graph file by file, and a
 * run's 230 files cost it about 0.1 s before the first task (a fifth of a one-host audit); one bundle loads in a
 * fraction of that. The dependencies (nunjucks, ssh2, yaml, ...) stay in node_modules, imported as they are.
 * Only the bin is bundled: the tests and scripts that import engine files use the compiled tree.
 */
import { chmodSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { packageRoot } from "../engine/package-root.js";

export const BIN_PATH = join(packageRoot, "dist", "bin", "rems-play.js");

export async function bundleBin(): Promise<void> {
  const outdir = join(packageRoot, "dist", "bin");
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
  chmodSync(BIN_PATH, 0o755);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundleBin();
