/**
 * pamd: the table of fixtures; the parser on every Debian 12 file of test/fixtures/pamd/debian12 (captured from a lab
 * host's /etc/pam.d); then Ansible 2.14's own results (test/fixtures/pamd/ansible-2.14.json: community.general's pamd
 * run by `ansible localhost -c local` on a copy of the file, twice, the mark's time written as TIME) redone by the
 * module on a real shell, twice. Where pamd drops the comments between the rule it places and its neighbour
 * (`ansibleDropsComments`), the rules must be Ansible's and every comment of the file must still be there.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import pamd, { type Args } from "../../../modules/pamd.js";
import { invalidLine, parsePamService, renderPamService } from "../../../modules/shared/pam-service.js";
import { LocalShellContext } from "../../helpers/fake-context.js";
import { runModuleCases } from "../../helpers/module-tester.js";
import { repoRoot } from "../../helpers/rems-play.js";

runModuleCases(pamd);

const DEBIAN = join(repoRoot, "test/fixtures/pamd/debian12");
const debianFile = (name: string): string => readFileSync(join(DEBIAN, name), "utf8");
const withoutMark = (text: string): string => text.replace(/^# Updated by Ansible - .*$/m, "# Updated by Ansible - TIME");

describe("Debian 12's PAM files", () => {
  // [file, rules, @include lines]
  const table: [string, number, number][] = [
    ["common-auth", 3, 0],
    ["common-account", 3, 0],
    ["common-password", 3, 0],
    ["common-session", 4, 0],
    ["login", 14, 4],
    ["sshd", 11, 4],
    ["su", 5, 3],
    ["sudo", 1, 3],
    ["other", 0, 4],
    ["chfn", 1, 3],
    ["runuser", 4, 0],
  ];
  test("the captured files are all in the table", () => {
    assert.deepEqual(readdirSync(DEBIAN).sort(), table.map(([name]) => name).sort());
  });
  for (const [name, rules, includes] of table) {
    test(`${name}: its rules and includes are read, all valid, and written back unchanged but for layout`, () => {
      const lines = parsePamService(debianFile(name));
      assert.equal(lines.filter((line) => line.kind === "rule").length, rules);
      assert.equal(lines.filter((line) => line.kind === "text" && line.text.startsWith("@include")).length, includes);
      assert.equal(invalidLine(lines), undefined);
      // Comments, blank lines and includes are kept byte for byte; each rule keeps its words.
      const rendered = renderPamService(lines, "TIME").split("\n");
      const original = debianFile(name).split("\n");
      const words = (line: string): string => line.trim().split(/\s+/).join(" ");
      assert.deepEqual(rendered.filter((line) => !line.startsWith("# Updated by Ansible")).map(words), original.map(words));
    });
  }
});

describe("pamd's reading of rules", () => {
  test("a bracketed control is one field, spaces and all; ' = ' is closed up", () => {
    const [rule] = parsePamService("session [success=ok ignore = ignore default=bad]   pam_selinux.so  close  # [1]\n");
    assert.deepEqual(rule, { kind: "rule", type: "session", control: "[success=ok ignore=ignore default=bad]", path: "pam_selinux.so", args: ["close", "#", "[1]"] });
  });

  test("a continuation line is refused, saying that pamd reads none", () => {
    assert.throws(() => parsePamService("auth required pam_env.so \\\n    readenv=1\n"), /line 2 is no PAM rule pamd can read: " {4}readenv=1" \(pamd reads no continuation lines/);
  });

  test("a rule may start with a dash (no error when the module is missing)", () => {
    const [rule] = parsePamService("-session optional pam_systemd.so\n");
    assert.equal(rule?.kind === "rule" ? rule.type : undefined, "-session");
  });
});

interface OracleOutcome {
  changed: boolean;
  failed?: boolean;
  msg?: string;
  change_count?: number;
  after: string;
}

interface OracleCase extends OracleOutcome {
  name: string;
  file?: string;
  content?: string;
  args: Omit<Args, "name" | "path">;
  check?: boolean;
  ansibleDropsComments?: boolean;
  again: OracleOutcome;
}

async function runOnce(args: Args, checkMode: boolean): Promise<Omit<OracleOutcome, "after">> {
  try {
    const plan = await pamd.check(new LocalShellContext({ checkMode }), args);
    const count = plan.changed === "unknown" ? undefined : (plan.output?.["change_count"] as number);
    if (plan.changed !== true || checkMode) return { changed: plan.changed === true, ...(count === undefined ? {} : { change_count: count }) };
    const ctx = new LocalShellContext();
    ctx.phase = "apply";
    const applied = await pamd.apply?.(ctx, args, plan);
    return { changed: applied?.changed ?? false, change_count: applied?.output?.["change_count"] as number };
  } catch (error) {
    return { changed: false, failed: true, msg: error instanceof Error ? error.message : String(error) };
  }
}

/** The outcome compared: Ansible's message of a failure only where it is pamd's own (not Python's crash). */
const compared = (outcome: Omit<OracleOutcome, "after">, expected: OracleOutcome): Omit<OracleOutcome, "after"> =>
  expected.failed === true ? { changed: outcome.changed, failed: outcome.failed ?? false, msg: outcome.msg ?? "" } : { changed: outcome.changed, ...(outcome.failed === true ? { failed: true, msg: outcome.msg } : {}), change_count: outcome.change_count ?? -1 };

const rulesOnly = (text: string): string[] => text.split("\n").filter((line) => line.trim() !== "" && !line.trimStart().startsWith("#"));
const comments = (text: string): string[] => text.split("\n").filter((line) => line.trimStart().startsWith("#") && !line.startsWith("# Updated by Ansible"));

describe("pamd on a real shell, as Ansible 2.14", () => {
  const cases = JSON.parse(readFileSync(join(repoRoot, "test/fixtures/pamd/ansible-2.14.json"), "utf8")) as OracleCase[];
  const dir = mkdtempSync(join(tmpdir(), "rems-pamd-"));
  cases.forEach((c, i) => {
    test(c.name, async () => {
      const caseDir = mkdtempSync(join(dir, `case-${i}-`));
      const path = join(caseDir, "svc");
      const content = c.content ?? debianFile(c.file ?? "");
      writeFileSync(path, content);
      const args = { ...c.args, name: "svc", path: caseDir } as Args;
      const expected = (outcome: OracleOutcome): Omit<OracleOutcome, "after"> =>
        outcome.failed === true ? { changed: false, failed: true, msg: outcome.msg ?? "" } : { changed: outcome.changed, change_count: outcome.change_count ?? -1 };
      assert.deepEqual(compared(await runOnce(args, c.check === true), c), expected(c));
      const after = withoutMark(readFileSync(path, "utf8"));
      if (c.ansibleDropsComments === true) {
        assert.deepEqual(rulesOnly(after), rulesOnly(c.after));
        assert.deepEqual(comments(after), comments(content));
      } else {
        assert.equal(after, c.after);
      }
      assert.deepEqual(compared(await runOnce(args, c.check === true), c.again), expected(c.again), "the second run");
      if (c.ansibleDropsComments !== true) assert.equal(withoutMark(readFileSync(path, "utf8")), c.again.after, "after the second run");
    });
  });
});
