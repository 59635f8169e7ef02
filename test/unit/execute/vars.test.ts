import assert from "node:assert/strict";
import { test } from "node:test";
import type { RoleContext } from "../../../engine/types.js";
import { mergeLayers, ownLayers, roleLayers, type TaskScope } from "../../../engine/execute/vars.js";

/** A task's variables as the play runner merges them: the role's layers once, then the task's own over them. */
const merged = (scope: TaskScope) => mergeLayers(ownLayers(scope), mergeLayers(roleLayers(scope)));

const role = (name: string, defaults: object, vars: object = {}, params: object = {}): RoleContext => ({
  name,
  path: `/roles/${name}`,
  defaults: { ...defaults },
  vars: { ...vars },
  params: { ...params },
});

test("each precedence level beats the one below it", () => {
  const app = role("app", { v: "role default", d: "default only" }, { rv: "role vars" }, { rp: "role param" });
  const scope: TaskScope = {
    playRoles: [role("other", { v: "other role default", o: "other" }), app],
    role: app,
    inventoryVars: {},
    playVars: {},
    playVarsFiles: {},
    scopeVars: [],
    hostFacts: {},
    extraVars: {},
    magic: { inventory_hostname: "h1" },
  };
  assert.equal(merged(scope).v, "role default");
  assert.equal(merged(scope).o, "other");
  const expect = (patch: Partial<TaskScope>, value: string): void => {
    Object.assign(scope, patch);
    assert.equal(merged(scope).v, value);
  };
  expect({ inventoryVars: { v: "inventory" } }, "inventory");
  expect({ playVars: { v: "play" } }, "play");
  expect({ playVarsFiles: { v: "vars_files" } }, "vars_files");
  app.vars.v = "role vars";
  expect({}, "role vars");
  app.params.v = "role param";
  expect({}, "role param");
  expect({ scopeVars: [{ v: "block" }] }, "block");
  expect({ scopeVars: [{ v: "block" }, { v: "task" }] }, "task");
  expect({ hostFacts: { v: "set_fact" } }, "set_fact");
  expect({ extraVars: { v: "extra" } }, "extra");
  const all = merged(scope);
  assert.equal(all.d, "default only");
  assert.equal(all.inventory_hostname, "h1");
});

test("a later layer replaces a dict whole (hash_behaviour=replace)", () => {
  const flat = mergeLayers([
    { label: "a", vars: { env: { A: 1, B: 2 } } },
    { label: "b", vars: { env: { A: 3 } } },
  ]);
  assert.deepEqual(flat.env, { A: 3 });
});
