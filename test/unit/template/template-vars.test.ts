/**
 * The variables Ansible adds when it renders a template file (issue 14: geerlingguy.redis starts redis.conf.j2
 * with `# {{ ansible_managed }}`, which failed as undefined).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { renderFile, renderString } from "../../../engine/template/render.js";
import { TemplateError } from "../../../engine/errors.js";

const file = "/roles/redis/templates/redis.conf.j2";
const where = { task: "configure", host: "web1" };

describe("template file variables", () => {
  test("a template file reads ansible_managed as Ansible's default text", () => {
    assert.equal(renderFile("# {{ ansible_managed }}\nport {{ port }}\n", file, { port: 6379 }, where), "# Ansible managed\nport 6379\n");
  });

  test("they win over a variable of the same name, as Ansible adds them over the task's", () => {
    assert.equal(renderFile("{{ ansible_managed }}", file, { ansible_managed: "set by the play" }, where), "Ansible managed");
  });

  test("outside a template file (a task's argument) ansible_managed is undefined, as in Ansible", () => {
    assert.throws(() => renderString("{{ ansible_managed }}", {}, where), (e) => e instanceof TemplateError && e.message === "'ansible_managed' is undefined");
  });
});
