import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineModule, type AnyModule } from "../../../engine/module-api.js";
import { checkModuleDocs, renderModuleDoc, writeModuleDocs } from "../../../scripts/gen-module-docs.js";
import { assertGolden } from "../../helpers/golden.js";

const service: AnyModule = defineModule<Record<string, unknown>>({
  name: "fake_service",
  description: "Manage a pretend service",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["name"],
    properties: {
      name: { type: "string", description: "Unit name | with a pipe" },
      state: { type: "string", enum: ["started", "stopped"], default: "started", description: "What the unit should be doing." },
      packages: { anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }], description: "One package or a list." },
      env: { type: "object", additionalProperties: { type: "string" }, description: "Environment of the unit." },
      ports: {
        type: "array",
        description: "Ports the unit listens on.",
        items: {
          type: "object",
          additionalProperties: false,
          required: ["port"],
          properties: {
            port: { type: "integer", minimum: 1, description: "TCP port." },
            proto: { type: ["string", "null"], enum: ["tcp", "udp", null], description: "Protocol.\nDefaults to tcp." },
          },
        },
      },
      enabled: { type: "boolean", default: false, description: "Start at boot." },
    },
  },
  examples: ["- fake_service: { name: web, state: started }", "- name: listen on 80\n  fake_service:\n    name: web\n    ports: [{ port: 80 }]\n"],
  capabilities: { diff: false, idempotent: true },
  freeForm: "name",
  check: () => Promise.resolve({ changed: false, reason: "pretend" }),
});

const other: AnyModule = defineModule<Record<string, never>>({
  name: "other",
  description: "Another pretend module",
  schema: { type: "object", additionalProperties: false, properties: {} },
  examples: [],
  capabilities: { diff: true, idempotent: false },
  check: () => Promise.resolve({ changed: false, reason: "pretend" }),
});

describe("renderModuleDoc", () => {
  test("documents description, capabilities, every argument with its path, and the examples", () => {
    assertGolden("test/golden/docs/fake_service.md", renderModuleDoc(service));
  });

  test("lists nested options by path and marks required ones relative to their object", () => {
    const doc = renderModuleDoc(service);
    assert.match(doc, /^\| `ports\[\]\.port` \| integer \| yes \|/m);
    assert.match(doc, /^\| `ports\[\]\.proto` \| string \| no \| {2}\| `tcp`, `udp` \| Protocol\.<br>Defaults to tcp\. \|$/m);
    assert.match(doc, /^\| `packages` \| string or list of string \|/m);
    assert.match(doc, /^\| `env` \| mapping of string \|/m);
    assert.match(doc, /Unit name \\\| with a pipe/);
  });

  test("says so when a module takes no arguments and has no examples", () => {
    const doc = renderModuleDoc(other);
    assert.match(doc, /^This module takes no arguments\.$/m);
    assert.match(doc, /^No examples\.$/m);
    assert.match(doc, /^- Idempotent: no \(acts on every run\)\.$/m);
  });
});

describe("checkModuleDocs", () => {
  test("reports missing, out-of-date and left-over pages, and nothing once the docs are written", () => {
    const dir = mkdtempSync(join(tmpdir(), "rems-docs-"));
    try {
      const registry = new Map([["fake_service", service], ["other", other]]);
      assert.deepEqual(checkModuleDocs(registry, dir), [`${join(dir, "README.md")} is missing`, `${join(dir, "fake_service.md")} is missing`, `${join(dir, "other.md")} is missing`]);

      writeModuleDocs(registry, dir);
      assert.deepEqual(checkModuleDocs(registry, dir), []);
      assert.match(readFileSync(join(dir, "README.md"), "utf8"), /^\| \[other\]\(other\.md\) \| Another pretend module \|$/m);

      writeFileSync(join(dir, "other.md"), "edited by hand\n");
      writeFileSync(join(dir, "notes.md"), "hand-written page, not generated\n");
      assert.deepEqual(checkModuleDocs(registry, dir), [`${join(dir, "other.md")} is out of date`]);

      const smaller = new Map([["fake_service", service]]);
      writeModuleDocs(registry, dir);
      assert.deepEqual(checkModuleDocs(smaller, dir), [`${join(dir, "README.md")} is out of date`, `${join(dir, "other.md")} documents no module`]);
      writeModuleDocs(smaller, dir);
      assert.deepEqual(checkModuleDocs(smaller, dir), []);
      assert.equal(readFileSync(join(dir, "notes.md"), "utf8"), "hand-written page, not generated\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
