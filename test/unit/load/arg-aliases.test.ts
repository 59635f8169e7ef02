/** Ansible's argument aliases are renamed at load: the module sees one name, mistakes keep their place. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { newScope } from "../../../engine/load/load-scope.js";
import { parseTaskList } from "../../../engine/load/tasks.js";
import { parseYaml } from "../../../engine/source/yaml.js";
import { NO_VAULT } from "../../../engine/vault/vault.js";
import type { Task } from "../../../engine/types.js";
import { registry } from "../../../modules/index.js";

function load(yaml: string): { args: unknown[]; errors: string[] } {
  const { data } = parseYaml(yaml, "tasks.yml", NO_VAULT);
  const scope = newScope(registry, NO_VAULT, []);
  const tasks = parseTaskList(scope, data as unknown[], { file: "tasks.yml", role: undefined, tags: [] });
  return { args: tasks.map((t) => (t as Task).args), errors: scope.errors.map((e) => e.describe()) };
}

test("aliases in a mapping, in key=value text and in args: become the argument's own name", () => {
  const { args, errors } = load(`
- systemd: { unit: nginx, daemon-reload: true, state: started }
- service: service=nginx daemon-reload=yes state=restarted
- service:
  args: { service: nginx, args: -x, enabled: true }
`);
  assert.deepEqual(errors, []);
  assert.deepEqual(args, [
    { state: "started", name: "nginx", daemon_reload: true },
    { state: "restarted", name: "nginx", daemon_reload: true },
    { enabled: true, name: "nginx", arguments: "-x" },
  ]);
});

test("an argument under two of its names is refused where the alias is written", () => {
  const { errors } = load(`
- systemd:
    name: nginx
    unit: nginx
    state: started
`);
  assert.deepEqual(errors, [`tasks.yml:4:5: task "systemd": systemd: 'unit' is another name of 'name': give one of them`]);
});

test("a wrong value under an alias is reported at the alias's value", () => {
  const { errors } = load(`
- systemd: { unit: nginx, daemon-reload: maybe }
`);
  assert.deepEqual(errors, [`tasks.yml:2:42: task "systemd": systemd: 'daemon_reload' must be boolean; got 'maybe'`]);
});
