import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { InputErrors } from "../../../engine/errors.js";
import { closest, didYouMean, editDistance } from "../../../engine/did-you-mean.js";
import { splitArgs } from "../../../engine/load/key-value.js";
import { loadPlaybook } from "../../../engine/load/playbook.js";
import type { Task } from "../../../engine/types.js";
import { coerceArgs, validateModuleArgs } from "../../../engine/schema/validate.js";
import { fixture, registry } from "../../fixtures/load/registry.js";
import { NO_VAULT } from "../../../engine/vault/vault.js";

const apt = registry.get("apt");
if (!apt) throw new Error("fake registry has apt");

describe("more load-time errors, all at once", () => {
  const file = fixture("errors", "more.yml");
  let messages: string[] = [];
  try {
    loadPlaybook(file, registry, NO_VAULT);
  } catch (e) {
    if (e instanceof InputErrors) messages = e.errors.map((x) => x.describe());
  }

  test("each mistake named with its place and what was expected", () => {
    assert.deepEqual(messages, [
      `${file}:3:7: role 'webb' not found in ${fixture("errors", "roles")}, roles; did you mean 'web'?`,
      `${file}:7:7: task "two actions": a task has one action; found apt, file`,
      `${file}:8:7: task "nothing": no module or action; expected one of the modules or debug, assert, fail, set_fact, meta, include_vars, setup, gather_facts, include_tasks, import_tasks, include_role, import_role`,
      `${file}:11:9: task "file": file: missing required argument 'path'`,
      `${file}:13:23: task "apt": apt: 'update_cache' must be boolean; got 'maybe'`,
      `${file}:14:15: task "apt": apt: 'name' must be string or list; got [1]`,
      `${file}:15:7: task "import_tasks": import_tasks: the file name is read before any variable exists; use include_tasks for '{{ where }}.yml'`,
      `${file}:16:12: task "apt": apt: cannot read 'oops' as key=value; write the arguments as a mapping`,
      `${file}:19:7: block "block": unknown block keyword 'loop'`,
      `${file}:22:17: task "bad register": 'register' must match pattern "^[A-Za-z_][A-Za-z0-9_]*$"; got '1bad'`,
      `${file}:24:9: task "bad register": unknown task keyword 'lable' in 'loop_control'; did you mean 'label'?`,
      `${file}:25:3: play "no hosts": missing required play keyword 'hosts'`,
    ]);
  });
});

describe("templated module arguments", () => {
  const plays = loadPlaybook(fixture("playbook", "templated.yml"), registry, NO_VAULT);
  const task = plays[0]?.tasks[0] as Task;

  test("pass at load time (type and enum checked after templating)", () => {
    assert.deepEqual(task.args, { name: "{{ pkg }}", state: "{{ pkg_state }}", update_cache: "{{ refresh }}" });
  });

  test("are checked fully at run time, same message format, host and task attached", () => {
    const rendered = { name: "nginx", state: "installed", update_cache: "yes" };
    const errors = validateModuleArgs(apt, rendered, task.args, { task: "templated", loc: task.loc, host: "web01" });
    assert.deepEqual(
      errors.map((e) => e.describe()),
      [`${fixture("playbook", "templated.yml")}:6:16: task "templated": apt: 'state' must be one of present, absent, latest; got 'installed'`],
    );
    const [first] = errors;
    assert.ok(first);
    assert.equal(first.host, "web01");
    assert.equal(first.task, "templated");
  });

  test("without recorded locations the task's location is blamed", () => {
    const args = { nmae: "x" };
    const errors = validateModuleArgs(apt, args, args, { task: "t", loc: { file: "f.yml", line: 2, col: 3 } });
    assert.deepEqual(errors.map((e) => e.describe()), [`f.yml:2:3: task "t": apt: unknown argument 'nmae'; did you mean 'name'?`]);
  });
});

describe("coerceArgs", () => {
  test("boolean and number strings become booleans and numbers where the schema expects them", () => {
    assert.deepEqual(coerceArgs(apt.schema, { update_cache: "yes", cache_valid_time: "3600", name: "true" }), {
      update_cache: true,
      cache_valid_time: 3600,
      name: "true",
    });
    for (const [text, value] of [["no", false], ["True", true], ["False", false], ["false", false], ["on", true]] as const) {
      assert.deepEqual(coerceArgs(apt.schema, { update_cache: text }), { update_cache: value });
    }
  });

  test("values that do not read as the expected type are left for validation to refuse", () => {
    assert.deepEqual(coerceArgs(apt.schema, { update_cache: "maybe", cache_valid_time: "1h" }), { update_cache: "maybe", cache_valid_time: "1h" });
  });
});

describe("did you mean", () => {
  test("Damerau-Levenshtein counts a transposition as one edit", () => {
    assert.equal(editDistance("nmae", "name"), 1);
    assert.equal(editDistance("aptt", "apt"), 1);
    assert.equal(editDistance("kitten", "sitting"), 3);
  });

  test("suggests only close names; prefers a dropped letter over a wrong one", () => {
    assert.equal(closest("taks", ["tags", "tasks", "hosts"]), "tasks");
    assert.equal(closest("zzzz", ["tags", "tasks"]), undefined);
    assert.equal(didYouMean("hots", ["hosts", "vars"]), "; did you mean 'hosts'?");
    assert.equal(didYouMean("xyz", ["hosts"]), "");
  });
});

describe("key=value splitting", () => {
  test("quotes and {{ }} keep blanks inside one value", () => {
    assert.deepEqual(
      splitArgs(`name=nginx msg="a b" x='{{ y }}' when={{ a | default('b c') }} free`).map((t) => [t.key, t.value ?? t.raw]),
      [["name", "nginx"], ["msg", "a b"], ["x", "{{ y }}"], ["when", "{{ a | default('b c') }}"], [undefined, "free"]],
    );
  });
});
