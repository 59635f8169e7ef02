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

// Issue 14: the aliases `ansible-doc` documents for file, cron, slurp and systemd, as ansible-core's own targets use them.
test("file's dest and name, cron's value, dom and dow, slurp's path are their modules' own arguments", () => {
  const { args, errors } = load(`
- file: dest=/srv/a state=directory
- ansible.builtin.file: { name: /srv/b, state: touch }
- cron: { name: FOO, env: true, value: bar, cron_file: x, user: root }
- cron: { name: job, job: "true", dom: "1", dow: "2" }
- slurp: { path: /etc/hostname }
`);
  assert.deepEqual(errors, []);
  assert.deepEqual(args, [
    { path: "/srv/a", state: "directory" },
    { state: "touch", path: "/srv/b" },
    { name: "FOO", env: true, cron_file: "x", user: "root", job: "bar" },
    { name: "job", job: "true", day: "1", weekday: "2" },
    { src: "/etc/hostname" },
  ]);
});

test("slurp's src and its alias path together are refused at load", () => {
  const { errors } = load(`
- slurp: { src: /etc/hostname, path: /etc/hostname }
`);
  assert.deepEqual(errors, [`tasks.yml:2:32: task "slurp": slurp: 'path' is another name of 'src': give one of them`]);
});

test("systemd_service is systemd under its short and its ansible.builtin name, daemon_reload needs no name", () => {
  const { args, errors } = load(`
- systemd_service: { name: nginx, state: started }
- ansible.builtin.systemd_service: { daemon_reload: true }
- systemd: { daemon-reload: true }
`);
  assert.deepEqual(errors, []);
  assert.deepEqual(args, [{ name: "nginx", state: "started" }, { daemon_reload: true }, { daemon_reload: true }]);
});
