/**
 * Issue 16 item 2: a script reaches the host's shell on stdin, framed ahead of the command's own input, and the
 * command line is always READ_SCRIPT. Each frame is run by real shells (dash as /bin/sh, and bash, which is
 * /bin/sh elsewhere) with input after it, to show the script arrives whole and the input untouched.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { Readable } from "node:stream";
import { describe, test } from "node:test";
import fc from "fast-check";
import { quote } from "../../../engine/command.js";
import { frameScript, ONE_LINE_MAX, READ_SCRIPT, readerCommand, scriptInput } from "../../../engine/connection/stdin-script.js";
import { LocalConnection } from "../../../engine/connection/local.js";

const SHELLS = ["/bin/sh", "/bin/dash", "/bin/bash"].filter((shell) => existsSync(shell));

/** Runs READ_SCRIPT in SHELL with the framed SCRIPT and then INPUT on stdin. */
function runFramed(shell: string, script: string, input: string | Buffer = ""): { code: number | null; stdout: Buffer } {
  const stdin = Buffer.concat([Buffer.from(frameScript(script), "utf8"), Buffer.from(input)]);
  const result = spawnSync(shell, ["-c", READ_SCRIPT], { input: stdin });
  return { code: result.status, stdout: result.stdout };
}

const TRICKY = [
  "printf '%s\\n' 'single' \"double $((1 + 1))\" back\\\\slash",
  "",
  "\n\nprintf 'leading and trailing blank lines\\n'\n\n",
  "cat <<'EOF'\nhere $doc `not run`\n\n  indented\nEOF",
  "for s in a b; do printf '%s' \"$s\"; done; echo",
  "printf 'ünïcödé ✓\\n'",
  "case x in x) echo 'a ) in a case' ;; esac",
].map((body) => ({ body }));

describe("frameScript", () => {
  test("a short script is one line: its newlines stand for a byte it does not hold", () => {
    assert.equal(frameScript("a\nb"), "\x1fa\x1fb\n");
    assert.equal(frameScript("x\x1fy\nz"), "\x1ex\x1fy\x1ez\n", "the stand-in is a byte the script does not hold");
  });

  test("a long script, or one holding every stand-in, is its length in bytes and then the script", () => {
    const long = "é".repeat(ONE_LINE_MAX);
    assert.equal(frameScript(long), `${Buffer.byteLength(long)}\n${long}`);
    const allStandins = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join("").replace("\0", "");
    assert.equal(frameScript(allStandins), `${allStandins.length}\n${allStandins}`);
  });
});

describe("READ_SCRIPT runs the framed script, and leaves what follows as the script's stdin", () => {
  for (const shell of SHELLS) {
    test(`${shell}: quoting, here-documents, blank lines, UTF-8, in both frames`, () => {
      for (const { body } of TRICKY) {
        const expected = spawnSync(shell, ["-c", body]).stdout.toString("utf8");
        assert.equal(runFramed(shell, body).stdout.toString("utf8"), expected, `one line: ${body}`);
        const long = `: ${"#".repeat(ONE_LINE_MAX)}\n${body}`;
        assert.match(frameScript(long), /^\d+\n/);
        assert.equal(runFramed(shell, long).stdout.toString("utf8"), expected, `counted: ${body}`);
      }
    });

    test(`${shell}: binary input after the frame reaches the script byte for byte`, () => {
      const input = Buffer.from([0, 1, 2, 10, 13, 255, 0x1f, 0x1e, 10, 0]);
      for (const script of ["od -An -tx1 | tr -d ' \\n'", `: ${"x".repeat(ONE_LINE_MAX)}\nod -An -tx1 | tr -d ' \\n'`]) {
        assert.equal(runFramed(shell, script, input).stdout.toString(), input.toString("hex"));
      }
    });

    test(`${shell}: the script finds a fresh shell's IFS, no positional parameters, none of the reader's variables; its exit code is the exec's`, () => {
      const result = runFramed(shell, `printf '[%s]' "$IFS" "$#" "\${__rems-unset}"; exit 7`);
      assert.equal(result.stdout.toString(), "[ \t\n][0][unset]");
      assert.equal(result.code, 7);
    });
  }

  test("any text printed by a script arrives whole, whatever bytes it holds (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }).filter((s) => !s.includes("\0") && Buffer.from(s, "utf8").toString("utf8") === s), fc.boolean(), (text, long) => {
        const script = `${long ? `: ${"x".repeat(ONE_LINE_MAX)}\n` : ""}printf '%s' ${quote(text)}`;
        assert.equal(runFramed("/bin/sh", script, "after").stdout.toString("utf8"), text);
      }),
      { numRuns: 60 },
    );
  });
});

describe("readerCommand and scriptInput", () => {
  test("the command line is READ_SCRIPT, behind become's words when given: never the script", () => {
    assert.equal(readerCommand(undefined), READ_SCRIPT);
    assert.equal(readerCommand("sudo -H -n -u root --"), `sudo -H -n -u root -- /bin/sh -c ${quote(READ_SCRIPT)}`);
  });

  test("the frame goes ahead of the input, whether none, text, bytes or a stream", async () => {
    const frame = frameScript("cat");
    assert.equal(scriptInput("cat", undefined), frame);
    assert.equal(scriptInput("cat", "text"), `${frame}text`);
    assert.deepEqual(scriptInput("cat", Buffer.from([0, 255])), Buffer.concat([Buffer.from(frame), Buffer.from([0, 255])]));
    const streamed = scriptInput("cat", Readable.from(["a", "b"]));
    assert.ok(streamed instanceof Readable);
    const chunks: Buffer[] = [];
    for await (const chunk of streamed) chunks.push(Buffer.from(chunk as Buffer));
    assert.equal(Buffer.concat(chunks).toString(), `${frame}ab`);
  });

  test("a local exec runs the script with its input; the script is in no process's command line", async () => {
    const marker = `marker-${process.pid}`;
    // grep's own command line holds mark[e]r, which its pattern does not match.
    const script = `: ${marker}; grep -a -c 'mark[e]r-${process.pid}' /proc/[0-9]*/cmdline | grep -v ':0$' | wc -l; cat`;
    const result = await new LocalConnection({ hostName: "l" }).exec(script, { stdin: "input" });
    assert.equal(result.stdout, "0\ninput");
  });
});
