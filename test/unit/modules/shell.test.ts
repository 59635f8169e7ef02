import assert from "node:assert/strict";
import { test } from "node:test";
import { inShell, sh } from "../../../engine/command.js";
import { LocalConnection } from "../../../engine/connection/local.js";
import shell from "../../../modules/shell.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(shell);

test("issue 16 item 2: with executable, the text runs in that shell with the task's stdin, yet is in no command line", async () => {
  const marker = `marker-${process.pid}`;
  // grep's own command line holds mark[e]r, which its pattern does not match.
  const text = `: ${marker}; [ -n "$BASH_VERSION" ] && echo bash; grep -a -l 'mark[e]r-${process.pid}' /proc/[0-9]*/cmdline 2>/dev/null | wc -l; cat; cat <<'REMS_SCRIPT_END'\nhere-doc\nREMS_SCRIPT_END\n`;
  const command = inShell("/bin/bash", text);
  assert.equal(command.display, sh`/bin/bash -c ${text}`.display);
  const result = await new LocalConnection({ hostName: "l" }).exec(`cd / && ${command.text} && echo joined`, { stdin: "input\n" });
  assert.equal(result.stdout, "bash\n0\ninput\nhere-doc\njoined\n", result.stderr);
});
