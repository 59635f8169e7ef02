/**
 * Debian's headless Chromium for tests that render a page: a screenshot and the DOM after rendering. Where it is
 * missing it is installed with apt-get when possible; where that cannot be done the test fails, naming why.
 */
import { execFile, spawnSync } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { pathToFileURL } from "node:url";

const NAMES = ["chromium", "chromium-browser"];

function onPath(name: string): string | undefined {
  for (const dir of (process.env["PATH"] ?? "").split(delimiter)) {
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

function findChromium(): string | undefined {
  for (const name of NAMES) {
    const path = onPath(name);
    if (path !== undefined) return path;
  }
  return undefined;
}

/** Why Chromium cannot be installed here, or undefined after installing it. */
function install(): string | undefined {
  if (process.platform !== "linux" || process.getuid?.() !== 0) return "chromium is not installed, and installing it needs root on Linux";
  if (onPath("apt-get") === undefined) return "chromium is not installed, and there is no apt-get to install it";
  const result = spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], {
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    encoding: "utf8",
    timeout: 600_000,
  });
  return result.status === 0 ? undefined : `chromium is not installed, and apt-get install chromium failed: ${(result.stderr || String(result.error)).trim().slice(-300)}`;
}

/**
 * The Chromium executable. Where it is missing and cannot be installed the test fails with the reason: the report
 * must be seen rendered, in CI (which installs it, see .ci/run) and everywhere else.
 */
export function chromiumPath(): string {
  const found = findChromium();
  if (found !== undefined) return found;
  const reason = install();
  const path = findChromium();
  if (path !== undefined) return path;
  throw new Error(`the report test renders in Chromium, but ${reason ?? "apt-get installed chromium, and it is not on PATH"}`);
}

/** Headless Chromium's flags for a test: no sandbox (root in CI), no network of its own, a profile of its own. */
export function chromiumFlags(profile: string): string[] {
  return [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    `--user-data-dir=${profile}`,
  ];
}

function runChromium(chromium: string, args: readonly string[]): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), "rems-chromium-"));
  const flags = chromiumFlags(profile);
  return new Promise((resolve, reject) => {
    execFile(chromium, [...flags, ...args], { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      rmSync(profile, { recursive: true, force: true });
      if (error) reject(new Error(`${chromium} ${args.join(" ")} failed: ${error.message}\n${stderr.slice(-2000)}`));
      else resolve(stdout);
    });
  });
}

/** Renders the page at HTML_PATH into a PNG screenshot at PNG_PATH, WIDTH x HEIGHT. */
export async function screenshot(chromium: string, htmlPath: string, pngPath: string, size = { width: 1280, height: 2000 }): Promise<void> {
  await runChromium(chromium, [`--screenshot=${pngPath}`, `--window-size=${size.width},${size.height}`, pathToFileURL(htmlPath).href]);
}

/** The DOM of the page at HTML_PATH after Chromium rendered it, as HTML text. */
export function dumpDom(chromium: string, htmlPath: string): Promise<string> {
  return runChromium(chromium, ["--dump-dom", pathToFileURL(htmlPath).href]);
}
