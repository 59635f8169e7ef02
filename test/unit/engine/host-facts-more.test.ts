/**
 * Issue 14: the facts roles read that ride the one gather-facts probe: CPU counts as Ansible computes them,
 * fips, selinux, the user's passwd entry, date_time, the environment (`export -p`, a builtin) and facts.d.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseHostFacts } from "../../../engine/gather-facts.js";
import { parseLocalFacts } from "../../../engine/local-facts.js";
import { parseExports } from "../../../engine/shell-env.js";

const cpuinfo = (sockets: number, cores: number, siblings: number): string[] =>
  Array.from({ length: sockets * siblings }, (_, i) => [`processor\t: ${i}`, `physical id\t: ${Math.floor(i / siblings)}`, `siblings\t: ${siblings}`, `cpu cores\t: ${cores}`]).flat();

function probe(extra: readonly string[], env = "", local = ""): string {
  return ["[os-release]", "ID=debian", "VERSION_ID=12", ...extra, "@@rems-env", env, "@@rems-local", local].join("\n");
}

describe("gather facts: what roles read beyond the basics", () => {
  test("CPU counts as Ansible's: sockets, cores per socket, threads per core, vcpus their product", () => {
    const facts = parseHostFacts(probe(["[cpuinfo]", ...cpuinfo(2, 4, 8)]));
    assert.deepEqual([facts.processor_count, facts.processor_cores, facts.processor_threads_per_core, facts.processor_vcpus], [2, 4, 2, 16]);
    // Without physical ids (some VMs): each processor counts as a socket of one core.
    const flat = parseHostFacts(probe(["[cpuinfo]", "processor\t: 0", "processor\t: 1"]));
    assert.deepEqual([flat.processor_count, flat.processor_cores, flat.processor_vcpus], [2, 1, 2]);
  });

  test("fips, selinux, the user's passwd entry and date_time", () => {
    const facts = parseHostFacts(
      probe(
        ["[fips]", "1", "[selinux]", "0", "[passwd]", "1000:deploy:1000:Deploy User:/home/deploy:/bin/bash", "[date]", "2026 12 06 07 05 09 1796537109 0 48 123456789 +0100 CET Sunday"],
        "export HOME='/home/deploy'\nexport LOGNAME='deploy'",
      ),
    );
    assert.equal(facts.fips, true);
    assert.deepEqual(facts.selinux, { status: "enabled", mode: "permissive" });
    assert.deepEqual([facts.user_id, facts.user_uid, facts.user_gid, facts.user_gecos, facts.user_dir, facts.user_shell], ["deploy", 1000, 1000, "Deploy User", "/home/deploy", "/bin/bash"]);
    const date = facts.date_time as Record<string, string>;
    assert.deepEqual([date.date, date.time, date.tz, date.tz_offset, date.weekday, date.weekday_number, date.epoch], ["2026-12-06", "07:05:09", "CET", "+0100", "Sunday", "0", "1796537109"]);
    // The ISO 8601 forms are UTC, as Ansible's; the basic ones local.
    assert.equal(date.iso8601, "2026-12-06T06:05:09Z");
    assert.equal(date.iso8601_micro, "2026-12-06T06:05:09.123456Z");
    assert.equal(date.iso8601_basic, "20261206T070509123456");
    const none = parseHostFacts(probe([]));
    assert.deepEqual([none.fips, none.selinux], [false, { status: "disabled" }]);
  });

  test("a value that looks like a section header stays in the environment", () => {
    const facts = parseHostFacts(probe([], "export MOTD='line\n[os-release]\nID=evil'"));
    assert.deepEqual(facts.env, { MOTD: "line\n[os-release]\nID=evil" });
    assert.equal(facts.distribution, "Debian");
  });
});

describe("export -p", () => {
  test("dash's and bash's forms, quotes, escapes, values over lines, exported but unset", () => {
    assert.deepEqual(parseExports(`export A='plain'\nexport B='it'"'"'s'\nexport C='two\nlines'\nexport D\ndeclare -x E="say \\"hi\\" \\$x"`), {
      A: "plain",
      B: "it's",
      C: "two\nlines",
      D: "",
      E: 'say "hi" $x',
    });
  });
});

describe("facts.d (ansible_local)", () => {
  test("JSON, INI (keys in lower case, values text) and what an executable printed; a bad file is Ansible's message", () => {
    const output = [
      "@@rems-fact site /etc/ansible/facts.d/site.fact",
      '{"color": "blue", "n": 2}',
      "",
      "@@rems-fact ini /etc/ansible/facts.d/ini.fact",
      "# comment",
      "[main]",
      "Answer = 42",
      "name: x",
      "",
      "@@rems-fact bad /etc/ansible/facts.d/bad.fact",
      "not json, not ini",
      "",
    ].join("\n");
    assert.deepEqual(parseLocalFacts(output), {
      site: { color: "blue", n: 2 },
      ini: { main: { answer: "42", name: "x" } },
      bad: "error loading facts as JSON or ini - please check content: /etc/ansible/facts.d/bad.fact",
    });
    assert.deepEqual(parseLocalFacts(""), {});
  });
});
