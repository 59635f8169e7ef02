/**
 * The lookups as templates call them, each case's expected value as ansible-playbook 2.14 printed it for the same
 * expression, files and variables (a debug task per case in a playbook beside test/fixtures/lookups/; paths
 * shown relative to that directory).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { evaluate, renderValue } from "../../../engine/template/render.js";
import { CONTROLLER, lookingAhead, plainController } from "../../../engine/template/lookups/controller.js";
import { TemplateError } from "../../../engine/errors.js";

const DIR = fileURLToPath(new URL("../../../../test/fixtures/lookups/", import.meta.url)).replace(/\/$/, "");
const where = { task: "lookups" };
const vars = {
  playbook_dir: DIR,
  x: 5,
  name: "rems",
  d: { b: 2, a: 1 },
  users: [
    { name: "alice", keys: ["k1", "k2"] },
    { name: "bob", keys: ["k3"] },
  ],
};

/** The expression's value, with the fixture directory shown as "." in paths. */
function value(expression: string, extra: Record<string, unknown> = {}): unknown {
  return JSON.parse(JSON.stringify(renderValue(`{{ ${expression} }}`, { ...vars, ...extra }, where)).replaceAll(DIR, ".")) as unknown;
}

const CASES: readonly (readonly [string, unknown])[] = [
  ["lookup('file', 'a.txt')", "hello\nworld"],
  ["lookup('file', 'files/a.txt', rstrip=False)", "hello\nworld\n"],
  ["lookup('file', 'a.txt', 'a.txt')", "hello\nworld,hello\nworld"],
  ["query('file', 'a.txt')", ["hello\nworld"]],
  ["q('file', 'a.txt')", ["hello\nworld"]],
  ["lookup('ansible.builtin.file', 'a.txt', wantlist=True)", ["hello\nworld"]],
  ["lookup('file', 'nope.txt', errors='ignore') is none", true],
  ["query('file', 'nope.txt', errors='ignore')", []],
  ["lookup('template', 't.j2')", "x=5\n"],
  ["lookup('template', 't.j2', template_vars={'x': 7})", "x=7\n"],
  ["lookup('template', 'header.j2')", "\n\nv1\n\nv2\n\n\nend\n"],
  ["lookup('env', 'NOPE_X', default='dflt')", "dflt"],
  ["lookup('env', 'NOPE_X')", ""],
  ["lookup('pipe', 'echo hi; echo there')", "hi\nthere"],
  ["lookup('pipe', 'basename $PWD')", "lookups"],
  ["lookup('vars', 'name')", "rems"],
  ["lookup('vars', 'nope', default='z')", "z"],
  ["lookup('vars', 'x', 'd')", [5, { b: 2, a: 1 }]],
  ["query('varnames', '^use')", ["users"]],
  ["lookup('dict', d)", [{ key: "b", value: 2 }, { key: "a", value: 1 }]],
  ["lookup('dict', {'only': 1})", { key: "only", value: 1 }],
  ["lookup('items', [1, [2, 3]], 4)", [1, [2, 3], 4]],
  ["lookup('items', 'a')", "a"],
  ["lookup('list', [1, 2])", [1, 2]],
  ["lookup('indexed_items', ['a', 'b'])", [[0, "a"], [1, "b"]]],
  ["lookup('together', [1, 2], ['a', 'b', 'c'])", [[1, "a"], [2, "b"], [null, "c"]]],
  ["lookup('nested', [1, 2], ['a', 'b'])", [[1, "a"], [1, "b"], [2, "a"], [2, "b"]]],
  ["lookup('nested', [1, 2], ['a', 'b'], ['X'])", [[1, "a", "X"], [1, "b", "X"], [2, "a", "X"], [2, "b", "X"]]],
  ["lookup('subelements', users, 'keys')", [[{ name: "alice" }, "k1"], [{ name: "alice" }, "k2"], [{ name: "bob" }, "k3"]]],
  ["lookup('subelements', users, 'nokey', {'skip_missing': True})", []],
  ["lookup('sequence', 'start=1 end=5 stride=2')", "1,3,5"],
  ["query('sequence', 'start=1 end=3 format=host%02d')", ["host01", "host02", "host03"]],
  ["query('sequence', 'count=3')", ["1", "2", "3"]],
  ["query('sequence', '4')", ["1", "2", "3", "4"]],
  ["query('sequence', '2-10/4')", ["2", "6", "10"]],
  ["query('sequence', '3:x%d')", ["x1", "x2", "x3"]],
  ["query('sequence', 'start=0x0a end=0x0c format=%x')", ["a", "b", "c"]],
  ["lookup('sequence', 'start=5 end=1 stride=-2')", "5,3,1"],
  ["lookup('sequence', 'count=0')", []],
  ["lookup('fileglob', 'files/*.txt')", "./files/a.txt"],
  ["query('fileglob', '*.ini')", ["./files/conf.ini"]],
  ["query('fileglob', '*.nomatch')", []],
  ["lookup('ini', 'user', section='section1', file='conf.ini')", "alice"],
  ["lookup('ini', 'user', section='section2', file='conf.ini')", "bob"],
  ["lookup('ini', 'pass section=section1 file=conf.ini')", "s3cret"],
  ["lookup('ini', 'data section=section1 file=conf.ini')", "/srv/data"],
  ["lookup('ini', 'base section=section2 file=conf.ini')", "/srv"],
  ["lookup('ini', 'nope section=section1 file=conf.ini default=dd')", "dd"],
  ["query('ini', 'u.* section=section1 file=conf.ini re=True')", ["alice"]],
  ["lookup('first_found', ['nope.txt', 'a.txt'])", "./files/a.txt"],
  ["lookup('first_found', 'nope.txt', 'a.txt')", "./files/a.txt"],
  ["lookup('first_found', {'files': ['nope.txt', 'conf.ini'], 'paths': ['files']})", "./files/conf.ini"],
  ["lookup('first_found', {'files': 'nope.txt,a.txt'})", "./files/a.txt"],
  ["query('first_found', {'files': ['nope.txt'], 'skip': True})", []],
];

const FAILURES: readonly (readonly [string, string])[] = [
  ["lookup('ini', 'x section=nosection file=conf.ini')", "No section 'nosection' in conf.ini"],
  ["lookup('first_found', ['nope.txt'])", "No file was found when using first_found."],
  // keyword files= apply to string terms only, and there are none (as in Ansible).
  ["lookup('first_found', files=['nope.txt', 'a.txt'])", "No file was found when using first_found."],
  ["lookup('file', 'nope.txt')", "could not locate file in lookup: nope.txt"],
  ["lookup('sequence', 'start=3 end=1')", "to count backwards make stride negative"],
  ["lookup('vars', 'nope')", "No variable found with this name: nope"],
];

describe("lookup() and query() give what ansible 2.14 gives", () => {
  for (const [expression, expected] of CASES) {
    test(expression, () => assert.deepEqual(value(expression), expected));
  }
  test("env reads the controller's environment", () => assert.equal(value("lookup('env', 'HOME')"), process.env.HOME));
});

describe("a failing lookup fails the template with the lookup's reason", () => {
  for (const [expression, reason] of FAILURES) {
    test(expression, () => {
      assert.throws(() => value(expression), (e: unknown) => e instanceof TemplateError && e.message.includes(reason));
    });
  }
  test("an unknown lookup is an error when the expression compiles", () => {
    assert.throws(() => evaluate("lookup('nosuch', 'x')", vars, where), { message: /lookup plugin \(nosuch\) not found/ });
  });
});

describe("with the run's controller", () => {
  test("files are looked for in the task's role first, and masked secrets are reported", () => {
    const secrets: string[] = [];
    const controller = { ...plainController(DIR), search: { role: { name: "r1", path: join(DIR, "roles", "r1"), defaults: {}, vars: {}, params: {} }, taskDir: join(DIR, "roles", "r1", "tasks"), playbookDir: DIR }, secret: (s: string) => secrets.push(s) };
    const withController = { ...vars, [CONTROLLER]: controller };
    assert.equal(renderValue("{{ lookup('file', 'b.txt') }}", withController, where), "role file");
    assert.equal(renderValue("{{ lookup('first_found', ['nope', 'b.txt', 'a.txt']) }}", withController, where), join(DIR, "roles", "r1", "files", "b.txt"));
    assert.deepEqual(renderValue("{{ query('fileglob', '*.txt') }}", withController, where), [join(DIR, "roles", "r1", "files", "b.txt")]);
  });

  test("while the run looks ahead (the prefetch pass), pipe and password do not act: they run once, with their task", () => {
    const ahead = lookingAhead({ ...vars, [CONTROLLER]: plainController(DIR) });
    for (const expression of ["lookup('pipe', 'echo hi')", "lookup('password', '/dev/null')"]) {
      assert.throws(() => renderValue(`{{ ${expression} }}`, ahead, where), { message: /runs when its task runs, not while the run looks ahead/ });
    }
    assert.equal(renderValue("{{ lookup('file', 'a.txt') }}", ahead, where), "hello\nworld");
  });

  test("password makes a password once, keeps it in a 0600 file under 0700 directories, and masks it", () => {
    const dir = mkdtempSync(join(tmpdir(), "rems-lookup-"));
    try {
      const secrets: string[] = [];
      const controller = { ...plainController(dir), secret: (s: string) => secrets.push(s) };
      const run = (term: string): unknown => renderValue(`{{ lookup('password', '${term}') }}`, { playbook_dir: dir, [CONTROLLER]: controller }, where);
      const first = run("creds/db length=12 chars=digits");
      assert.match(String(first), /^\d{12}$/);
      assert.equal(run("creds/db length=12 chars=digits"), first);
      assert.equal(readFileSync(join(dir, "creds", "db"), "utf8"), `${String(first)}\n`);
      assert.equal(statSync(join(dir, "creds", "db")).mode & 0o777, 0o600);
      assert.equal(statSync(join(dir, "creds")).mode & 0o777, 0o700);
      assert.ok(secrets.includes(String(first)));
      assert.match(String(run("creds/other")), /^[A-Za-z0-9.,:\-_]{20}$/);
      const hashed = String(run("creds/db encrypt=sha512_crypt"));
      const salt = readFileSync(join(dir, "creds", "db"), "utf8").trim().split(" salt=")[1] ?? "";
      assert.equal(hashed, renderValue(`{{ '${String(first)}' | password_hash('sha512', '${salt}') }}`, {}, where));
      assert.equal(String(run("/dev/null length=5")).length, 5);
      assert.throws(() => run("creds/x lenght=5"), { message: /Unrecognized parameter\(s\) given to password lookup: lenght/ });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

