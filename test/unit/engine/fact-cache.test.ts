import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sh, type Command } from "../../../engine/command.js";
import { FactCache } from "../../../engine/fact-cache.js";
import { splitBatchOutput } from "../../../engine/probe-batch.js";
import { defineFact } from "../../../engine/facts.js";

const echo = defineFact<string, { text: string }>({
  name: "echo",
  command: ({ text }) => sh`printf %s ${text}`,
  parse: ({ stdout, code }) => `${stdout}|${code}`,
});

/** Runs probe scripts with the real /bin/sh, counting round trips. */
async function shellRunner(command: Command, calls: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  calls.push(command.text);
  const { spawnSync } = await import("node:child_process");
  const result = spawnSync("/bin/sh", ["-c", command.text], { encoding: "utf8" });
  return { code: result.status ?? 255, stdout: result.stdout, stderr: result.stderr };
}

describe("FactCache", () => {
  test("several probes travel as one script and come back in request order", async () => {
    const calls: string[] = [];
    const cache = new FactCache("h", (c) => shellRunner(c, calls));
    const values = await cache.get([
      { fact: echo, args: { text: "a" } },
      { fact: echo, args: { text: "line\nwith --rems- marker-like text\n" } },
      { fact: echo, args: { text: "" } },
    ]);
    assert.deepEqual(values, ["a|0", "line\nwith --rems- marker-like text\n|0", "|0"]);
    assert.equal(calls.length, 1);
  });

  test("a cached fact is not probed again; invalidate forgets it", async () => {
    const calls: string[] = [];
    const cache = new FactCache("h", (c) => shellRunner(c, calls));
    await cache.get([{ fact: echo, args: { text: "x" } }]);
    await cache.get([{ fact: echo, args: { text: "x" } }]);
    assert.equal(calls.length, 1);
    cache.invalidate();
    await cache.get([{ fact: echo, args: { text: "x" } }]);
    assert.equal(calls.length, 2);
  });

  test("forget drops one fact: it alone is probed again", async () => {
    const calls: string[] = [];
    const cache = new FactCache("h", (c) => shellRunner(c, calls));
    await cache.get([{ fact: echo, args: { text: "x" } }, { fact: echo, args: { text: "y" } }]);
    cache.forget(echo, { text: "x" });
    await cache.get([{ fact: echo, args: { text: "x" } }, { fact: echo, args: { text: "y" } }]);
    assert.equal(calls.length, 2);
    assert.match(calls[1] ?? "", /printf %s x/);
    assert.doesNotMatch(calls[1] ?? "", /printf %s y/);
  });

  test("a prediction is served instead of the host and reported as predicted", async () => {
    const calls: string[] = [];
    const cache = new FactCache("h", (c) => shellRunner(c, calls));
    cache.predict(echo, { text: "y" }, "predicted");
    const seen: string[] = [];
    const [value] = await cache.get([{ fact: echo, args: { text: "y" } }], (name) => seen.push(name));
    assert.equal(value, "predicted");
    assert.deepEqual(seen, ["echo"]);
    assert.equal(calls.length, 0);
  });

  test("exit codes of each probe are kept apart", async () => {
    const failing = defineFact<number, null>({ name: "failing", command: () => sh`exit 3`, parse: ({ code }) => code });
    const cache = new FactCache("h", (c) => shellRunner(c, []));
    assert.deepEqual(await cache.get([{ fact: failing, args: null }, { fact: echo, args: { text: "ok" } }]), [3, "ok|0"]);
  });
});

/** Answers many words with one printf; its split refuses when asked about "torn" (as a path changed meanwhile). */
const word = defineFact<string, { text: string }>({
  name: "word",
  command: ({ text }) => sh`printf 'single:%s' ${text}`,
  parse: ({ stdout }) => stdout,
  many: {
    command: (list) => sh`printf '%s\n' ${list.map((a) => a.text)}`,
    split: (output, list) => {
      if (list.some((a) => a.text === "torn")) throw new Error("cannot split");
      return output.stdout.trimEnd().split("\n").map((line) => ({ stdout: `many:${line}`, code: 0 }));
    },
  },
});

describe("FactCache with facts that answer many at once", () => {
  test("requests of such a fact share one command inside the one script", async () => {
    const calls: string[] = [];
    const cache = new FactCache("h", (c) => shellRunner(c, calls));
    const values = await cache.get([
      { fact: word, args: { text: "a" } },
      { fact: echo, args: { text: "e" } },
      { fact: word, args: { text: "b c" } },
    ]);
    assert.deepEqual(values, ["many:a", "e|0", "many:b c"]);
    assert.equal(calls.length, 1);
    assert.ok(!calls[0]?.includes("single:"), "no single probe of the fact in the script");
  });

  test("what the combined output cannot answer is probed on its own", async () => {
    const calls: string[] = [];
    const cache = new FactCache("h", (c) => shellRunner(c, calls));
    const values = await cache.get([
      { fact: word, args: { text: "a" } },
      { fact: word, args: { text: "torn" } },
    ]);
    assert.deepEqual(values, ["single:a", "single:torn"]);
    assert.equal(calls.length, 3);
  });

  test("prefetch leaves what it could not split uncached", async () => {
    const calls: string[] = [];
    const cache = new FactCache("h", (c) => shellRunner(c, calls));
    await cache.prefetch([
      { fact: word, args: { text: "x" } },
      { fact: word, args: { text: "torn" } },
    ]);
    assert.equal(calls.length, 1);
    assert.deepEqual(await cache.get([{ fact: word, args: { text: "torn" } }]), ["single:torn"]);
    assert.equal(calls.length, 2);
  });
});

describe("splitBatchOutput", () => {
  test("an output cut short names the probe that is missing", () => {
    assert.throws(() => splitBatchOutput("--rems-n-0--\nabc\n--rems-n-rc 0--\n", "n", 2, "h1"), /incomplete at probe 2 of 2/);
  });
});
