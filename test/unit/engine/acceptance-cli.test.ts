/**
 * Acceptance of issue 2's command line through the real CLI (dist/bin/rems-play.js) on local hosts: --version and
 * --help, exit code 4 with exact file:line:col texts (all errors of a file at once), the list options, --limit
 * patterns, tags, --start-at-task and every -e form.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { remsPlayBin, repoRoot, runRemsPlay, writePlaybook } from "../../helpers/rems-play.js";

const dir = join(repoRoot, "test/fixtures/acceptance/cli");

/** Runs the CLI without --json in the fixture directory (paths in messages are then the relative ones given). */
function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [remsPlayBin, ...args], { cwd: dir, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The hosts --list-hosts prints for a --limit pattern. */
function listHosts(limit: string): string[] {
  const out = cli("playbook.yml", "-i", "inventory.ini", "--list-hosts", "-l", limit);
  assert.equal(out.status, 0, out.stderr);
  return out.stdout
    .split("\n")
    .filter((line) => /^ {4}\S/.test(line))
    .map((line) => line.trim());
}

describe("rems-play command line", () => {
  test("--version prints the package's version; --help lists every option of the issue and the exit codes", () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string };
    const v = cli("--version");
    assert.equal(v.status, 0);
    assert.equal(v.stdout.trim(), `rems-play ${version}`);
    const help = cli("--help");
    assert.equal(help.status, 0);
    for (const option of ["-i, --inventory", "-l, --limit", "-t, --tags", "--skip-tags", "-C, --check", "-D, --diff", "-e, --extra-vars", "-f, --forks", "-u, --user", "--private-key", "-K, --ask-become-pass", "--vault-id", "--vault-password-file", "-J, --ask-vault-pass", "-vvv", "--list-hosts", "--list-tasks", "--list-tags", "--syntax-check", "--start-at-task", "--json", "--version", "--help"]) {
      assert.ok(help.stdout.includes(option), `--help lacks ${option}`);
    }
    assert.match(help.stdout, /0 success, 2 a host failed, 3 a host was unreachable, 4 invalid input/);
  });

  test("a bad playbook: every error of the file at once, with file:line:col and did-you-mean, exit 4, nothing run", async () => {
    const run = await runRemsPlay(["bad-playbook.yml", "-i", "inventory.ini"], { cwd: dir });
    assert.equal(run.exitCode, 4);
    assert.equal(run.results.length, 0);
    assert.equal(
      run.stderr,
      [
        `ERROR: bad-playbook.yml:8:7: task "unknown key": unknown task keyword 'notfiy'; did you mean 'notify'?`,
        `ERROR: bad-playbook.yml:10:7: task "unknown module": unknown module or action 'coppy'; did you mean 'copy'?`,
        `ERROR: bad-playbook.yml:16:15: mode 644 is a decimal number; file modes are octal: write mode: '0644'`,
        `ERROR: bad-playbook.yml:20:9: task "bad arg": file: unknown argument 'stat'; did you mean 'state'?`,
        "",
      ].join("\n"),
    );
    const syntax = cli("bad-playbook.yml", "-i", "inventory.ini", "--syntax-check");
    assert.equal(syntax.status, 4);
    assert.equal(syntax.stderr, run.stderr);
  });

  test("a bad inventory: both unknown keys at once with their places, exit 4", () => {
    const out = cli("playbook.yml", "-i", "bad-inventory.yml");
    assert.equal(out.status, 4);
    assert.equal(
      out.stderr,
      "ERROR: bad-inventory.yml:2:3: unknown key 'hostz' in 'all'; did you mean 'hosts'?\n" +
        "ERROR: bad-inventory.yml:9:7: unknown key 'varz' in 'all.children.web'; did you mean 'vars'?\n",
    );
  });

  test("bad options and missing inputs are exit 4 with a message", () => {
    const cases: [string[], RegExp][] = [
      [["playbook.yml", "-i", "inventory.ini", "--bogus"], /Unknown option '--bogus'/],
      [["playbook.yml"], /no inventory given: use -i INVENTORY/],
      [["playbook.yml", "-i", "missing.yml"], /inventory 'missing.yml' not found/],
      [["missing-playbook.yml", "-i", "inventory.ini"], /missing-playbook\.yml/],
      [["playbook.yml", "-i", "inventory.ini", "-f", "0"], /--forks must be a whole number of at least 1/],
      [["playbook.yml", "-i", "inventory.ini", "-l", "nosuchhost"], /'nosuchhost' matches no host or group/],
    ];
    for (const [args, message] of cases) {
      const out = cli(...args);
      assert.equal(out.status, 4, args.join(" "));
      assert.match(out.stderr, message, args.join(" "));
    }
  });

  test("--limit patterns: all, a group, a:b, a:&b, a:!b, globs, with hosts in inventory order", () => {
    assert.deepEqual(listHosts("all"), ["web1", "web2", "app1", "db1"]);
    assert.deepEqual(listHosts("db"), ["app1", "db1"]);
    assert.deepEqual(listHosts("web1:db1"), ["web1", "db1"]);
    assert.deepEqual(listHosts("web:&db"), ["app1"]);
    assert.deepEqual(listHosts("prod:!db"), ["web1", "web2"]);
    // A glob matches group names too (as in Ansible): web* is web1, web2 and the web group's app1.
    assert.deepEqual(listHosts("web*"), ["web1", "web2", "app1"]);
    assert.deepEqual(listHosts("*1:!app*"), ["web1", "db1"]);
  });

  test("--list-tasks, --list-tags and --syntax-check exit 0 and contact nothing", () => {
    const tasks = cli("playbook.yml", "-i", "inventory.ini", "--list-tasks");
    assert.equal(tasks.status, 0, tasks.stderr);
    assert.match(tasks.stdout, /first\tTAGS: \[one\]\n\s+second\tTAGS: \[two, shared\]\n\s+third\tTAGS: \[shared\]\n\s+untagged\tTAGS: \[\]/);
    const tags = cli("playbook.yml", "-i", "inventory.ini", "--list-tags");
    assert.equal(tags.status, 0);
    assert.match(tags.stdout, /TASK TAGS: \[always, one, shared, two\]/);
    const syntax = cli("playbook.yml", "-i", "inventory.ini", "--syntax-check");
    assert.equal(syntax.status, 0);
    assert.match(syntax.stdout, /playbook: playbook\.yml: syntax OK/);
    for (const out of [tasks, tags, syntax]) assert.doesNotMatch(out.stdout, /PLAY RECAP/);
  });

  test("--tags and --skip-tags select tasks like Ansible (always runs unless skipped by name)", async () => {
    const ran = async (...args: string[]): Promise<string[]> => {
      const run = await runRemsPlay(["playbook.yml", "-i", "inventory.ini", "-l", "web1", ...args], { cwd: dir });
      assert.equal(run.exitCode, 0, run.stderr);
      return run.results.map((r) => r.task);
    };
    assert.deepEqual(await ran(), ["first", "second", "third", "untagged", "always tagged"]);
    assert.deepEqual(await ran("-t", "one"), ["first", "always tagged"]);
    assert.deepEqual(await ran("--tags", "shared"), ["second", "third", "always tagged"]);
    assert.deepEqual(await ran("-t", "one", "-t", "two"), ["first", "second", "always tagged"]);
    assert.deepEqual(await ran("--skip-tags", "shared"), ["first", "untagged", "always tagged"]);
    assert.deepEqual(await ran("-t", "shared", "--skip-tags", "two"), ["third", "always tagged"]);
    assert.deepEqual(await ran("--skip-tags", "always"), ["first", "second", "third", "untagged"]);
    assert.deepEqual(await ran("--start-at-task", "third"), ["third", "untagged", "always tagged"]);
  });

  test("-e: k=v, inline JSON, inline YAML, @file, repeatable, the later one wins", async () => {
    const run = await runRemsPlay(
      ["playbook.yml", "-i", "inventory.ini", "-l", "web1", "-t", "two", "-e", "kv=from_kv later=from_kv", "-e", '{"json_var": [1, 2], "later": "from_json"}', "-e", "{yaml_var: {a: 1}}", "-e", "@extra.yml"],
      { cwd: dir },
    );
    assert.equal(run.exitCode, 0, run.stderr);
    const second = run.results.find((r) => r.task === "second");
    assert.deepEqual(second?.msg, ["from_kv", [1, 2], { a: 1 }, "from_file", "from_file"]);

    const reversed = await runRemsPlay(["playbook.yml", "-i", "inventory.ini", "-l", "web1", "-t", "two", "-e", "@extra.yml", "-e", "later=last"], { cwd: dir });
    assert.deepEqual(reversed.results.find((r) => r.task === "second")?.msg, ["-", "-", "-", "from_file", "last"]);
  });

  test("one indentation mistake is one error", () => {
    const playbook = writePlaybook("- hosts: web1\n  gather_facts: false\n  tasks:\n    - name: one\n      apt:\n      name: git\n        state: present\n");
    const out = cli(playbook, "-i", "inventory.ini");
    assert.equal(out.status, 4);
    assert.equal(out.stderr.match(/^ERROR: /gm)?.length, 1, out.stderr);
    assert.match(out.stderr, /^ERROR: \S+playbook\.yml:6:13: Syntax Error while loading YAML: /);
  });

  test("a private key that cannot be read is named by its path, from --private-key or the inventory", async () => {
    const playbook = writePlaybook("- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=x\n");
    // The key is read before connecting, so the port (discard) is never used.
    const inventory = join(dirname(playbook), "inventory.ini");
    writeFileSync(inventory, "from_inventory ansible_host=127.0.0.1 ansible_port=9 ansible_ssh_private_key_file=/nonexistent/inventory_key\nfrom_option ansible_host=127.0.0.1 ansible_port=9\n");
    const run = await runRemsPlay([playbook, "-i", inventory, "--private-key", "/nonexistent/option_key"]);
    assert.equal(run.exitCode, 3, run.stderr);
    const message = (host: string): string => run.results.find((r) => r.host === host)?.error?.message ?? "";
    assert.match(message("from_inventory"), /cannot use the private key \/nonexistent\/inventory_key: /);
    assert.match(message("from_option"), /cannot use the private key \/nonexistent\/option_key: /);
  });

  test("a failed task is exit code 2, and the fail action's message is the error", async () => {
    const playbook = writePlaybook("- hosts: web1\n  gather_facts: false\n  tasks:\n    - name: boom\n      fail:\n        msg: boom here\n");
    const run = await runRemsPlay([playbook, "-i", join(dir, "inventory.ini")]);
    assert.equal(run.exitCode, 2, run.stderr);
    assert.equal(run.recap["web1"]?.failed, 1);
    assert.match(run.results[0]?.error?.message ?? "", /boom here/);
  });
});
