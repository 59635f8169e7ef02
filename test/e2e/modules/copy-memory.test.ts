/**
 * Issue 16 item 6: "A 300 MB `copy` holds 657 MB on the controller." A copy streams its file to the host in chunks
 * (the checksum is computed from a stream too), so the controller's peak memory stays far below the file's size,
 * for one file and for a directory tree. The peak is the real CLI's own (process.resourceUsage().maxRSS at its
 * exit, written by a preloaded module), not a timing.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { sharedLab, type Lab } from "../../helpers/lab.js";
import { explain, modulePlaybook, onHost } from "../../helpers/module-ladder.js";
import { runRemsPlay, total, type RemsPlayRun } from "../../helpers/rems-play.js";

const lab = sharedLab("fil-copy-memory", 1);
const MiB = 1024 * 1024;
const FILE_SIZE = 300 * MiB;
/** Well under the file: Node and the engine themselves take about 100 MiB. */
const PEAK_LIMIT = 160 * MiB;

/** A file of `size` bytes that compresses badly (a repeated 1 MiB block of hashes), and its sha256. */
function bigFile(path: string, size: number): string {
  const block = Buffer.alloc(MiB);
  for (let i = 0; i < MiB / 32; i++) createHash("sha256").update(String(i)).digest().copy(block, i * 32);
  mkdirSync(dirname(path), { recursive: true });
  const whole = createHash("sha256");
  writeFileSync(path, "");
  for (let done = 0; done < size; done += MiB) {
    const piece = block.subarray(0, Math.min(MiB, size - done));
    writeFileSync(path, piece, { flag: "a" });
    whole.update(piece);
  }
  return whole.digest("hex");
}

/** Runs the playbook with the CLI, and returns the run and the CLI's peak resident memory in bytes. */
async function runMeasured(l: Lab, playbook: string): Promise<{ run: RemsPlayRun; peak: number }> {
  const dir = mkdtempSync(join(tmpdir(), "rems-play-peak-"));
  const report = join(dir, "max-rss");
  const preload = join(dir, "peak.mjs");
  writeFileSync(preload, `import { writeFileSync } from "node:fs";\nprocess.on("exit", () => writeFileSync(${JSON.stringify(report)}, String(process.resourceUsage().maxRSS)));\n`);
  const run = await runRemsPlay([playbook, "-i", l.inventoryPath], { env: { NODE_OPTIONS: `--import=${preload}` } });
  // maxRSS is in kibibytes.
  return { run, peak: Number(readFileSync(report, "utf8")) * 1024 };
}

describe("issue 16 item 6: a big copy streams, holding a bounded amount of memory on the controller", () => {
  test("a 300 MB file: copied whole and checked, with the controller's peak far under its size", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    const playbook = modulePlaybook(`
- name: the big file
  copy: { src: big.bin, dest: /srv/e2e-copy-memory/big.bin, mode: "0600" }
`);
    t.after(() => rmSync(dirname(playbook), { recursive: true, force: true }));
    await onHost(l, "mkdir -p /srv/e2e-copy-memory");
    const sha256 = bigFile(join(dirname(playbook), "files/big.bin"), FILE_SIZE);

    const first = await runMeasured(l, playbook);
    assert.equal(first.run.exitCode, 0, explain(first.run));
    assert.equal(total(first.run.recap, "changed"), 1);
    assert.ok(first.peak < PEAK_LIMIT, `peak ${(first.peak / MiB).toFixed(0)} MiB for a ${FILE_SIZE / MiB} MiB copy`);
    assert.equal(await onHost(l, "sha256sum < /srv/e2e-copy-memory/big.bin; ls -A /srv/e2e-copy-memory"), `exit 0\n${sha256}  -\nbig.bin\n`);

    t.diagnostic(`peak ${(first.peak / MiB).toFixed(0)} MiB`);
    const again = await runMeasured(l, playbook);
    assert.equal(again.run.exitCode, 0, explain(again.run));
    assert.equal(total(again.run.recap, "changed"), 0);
    assert.ok(again.peak < PEAK_LIMIT, `peak ${(again.peak / MiB).toFixed(0)} MiB for a ${FILE_SIZE / MiB} MiB file already in place`);
  });

  test("a tree of two 150 MB files: both sent in one exec, with the same bound", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    const playbook = modulePlaybook(`
- name: the tree
  copy: { src: tree/, dest: /srv/e2e-copy-memory/tree }
`);
    t.after(() => rmSync(dirname(playbook), { recursive: true, force: true }));
    const sums = ["a.bin", "b/c.bin"].map((name) => bigFile(join(dirname(playbook), "files/tree", name), FILE_SIZE / 2));

    const { run, peak } = await runMeasured(l, playbook);
    assert.equal(run.exitCode, 0, explain(run));
    assert.ok(peak < PEAK_LIMIT, `peak ${(peak / MiB).toFixed(0)} MiB for a ${FILE_SIZE / MiB} MiB tree`);
    t.diagnostic(`peak ${(peak / MiB).toFixed(0)} MiB`);
    assert.equal(
      await onHost(l, "cd /srv/e2e-copy-memory/tree && sha256sum a.bin b/c.bin && ls -A . b"),
      `exit 0\n${sums[0] ?? ""}  a.bin\n${sums[1] ?? ""}  b/c.bin\n.:\na.bin\nb\n\nb:\nc.bin\n`,
    );
  });
});
