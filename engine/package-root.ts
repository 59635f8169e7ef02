/**
 * The directory of rems-play's package.json (and its roles/ and dist/), found from wherever this code runs: the
 * compiled tree (dist/engine/...) or the bundled bin (dist/bin/, scripts/bundle.ts) sit at different depths, so a
 * path counted in "../" from one file would be wrong in the other.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`rems-play's package.json is not above ${from}`);
  }
}

export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** The bin (package.json's `bin`), written by scripts/bundle.ts: what the demo, the bench and the tests run. */
export const binPath = join(packageRoot, "dist", "bin", "rems-play.js");
