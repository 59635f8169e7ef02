/**
 * The table-driven module tester (ESLint RuleTester): every test/modules/<name>/*.json fixture becomes one test
 * that validates the args against the module's schema, plans with check() on fixture facts, compares the plan,
 * runs apply() on a fake host and asserts it ran exactly the planned commands, and with `factsAfter` asserts that
 * check() on the host after apply is a no-op (idempotency).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Ajv } from "ajv";
import { parse as parseYaml } from "yaml";
import type { FileDiff } from "../../engine/diff-types.js";
import { renameAliases } from "../../engine/load/arg-aliases.js";
import type { FactDefinition, ProbeOutput } from "../../engine/facts.js";
import type { AnyModule, ApplyResult, ChangePlan, Plan } from "../../engine/module-api.js";
import { canonicalJson, FakeContext, type CommandFixtures, type FactFixtures, type TunnelFixtures } from "./fake-context.js";
import { repoRoot } from "./rems-play.js";

export interface ModuleCaseExpect {
  changed?: boolean | "unknown";
  summary?: string;
  reason?: string;
  /** Display text of plan.commands, in order. */
  commands?: string[];
  diffs?: FileDiff[];
  /** Every warning the task reports: the module's ctx.warn() calls, then the plan's warnings. */
  warnings?: string[];
  /** Fields the plan's output must contain. */
  output?: Record<string, unknown>;
  /** First lines of the requests sent over the host's TCP streams, in order (FakeContext.requests). */
  requests?: string[];
  /** Fields apply()'s output must contain. */
  applyOutput?: Record<string, unknown>;
  /** Predicted fact values (`{ fact: name, args, value }`); each must match exactly. */
  predicts?: { fact: string; args: unknown; value: unknown }[];
  /** check() must throw this (class name or code, and message). */
  error?: { code: string; message: string };
  /** The args must fail the schema with an ajv message containing this text. */
  schemaError?: string;
}

export interface ModuleCase {
  description: string;
  args: Record<string, unknown>;
  facts?: FactFixtures;
  probes?: CommandFixtures;
  tunnels?: TunnelFixtures;
  results?: CommandFixtures;
  checkMode?: boolean;
  /** In check mode: an earlier task planned a change (ModuleContext.changesPlanned). */
  changesPlanned?: boolean;
  diffMode?: boolean;
  vars?: Record<string, unknown>;
  /** The host user the task runs as (its become user); default root. */
  user?: string;
  expect: ModuleCaseExpect;
  /** The host's facts after apply (merged over `facts`); check() on them must report no change. */
  factsAfter?: FactFixtures;
}

// The engine's options (engine/schema/validate.ts): schema defaults are documentation, not filled in, so a module
// must treat a missing argument as its default.
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, useDefaults: false, coerceTypes: false });

/** Validates module args the way the engine does (aliases renamed first); returns the args (a copy) or the error. */
export function validateArgs(module: AnyModule, args: Record<string, unknown>): { args: Record<string, unknown> } | { error: string } {
  const validate = ajv.getSchema(module.name) ?? (ajv.addSchema(module.schema, module.name), ajv.getSchema(module.name));
  assert.ok(validate, `schema of ${module.name} compiles`);
  const copy = structuredClone(args);
  const conflicts = renameAliases(copy, module.aliases);
  if (conflicts.length > 0) return { error: conflicts.map((c) => `'${c.alias}' is another name of '${c.name}'`).join("; ") };
  if (validate(copy)) return { args: copy };
  return { error: ajv.errorsText(validate.errors, { dataVar: module.name }) };
}

/** Runs check() and, for a change outside check mode, apply() on a fake host built from one case. */
export async function runCase(module: AnyModule, c: ModuleCase, filesDir?: string): Promise<{ ctx: FakeContext; args: Record<string, unknown>; plan: Plan; applied?: ApplyResult }> {
  const valid = validateArgs(module, c.args);
  if ("error" in valid) throw new Error(`args do not pass the schema: ${valid.error}`);
  const ctx = new FakeContext({
    facts: c.facts ?? {},
    probes: c.probes ?? {},
    tunnels: structuredClone(c.tunnels ?? {}),
    results: c.results ?? {},
    checkMode: c.checkMode ?? false,
    ...(c.changesPlanned === undefined ? {} : { changesPlanned: c.changesPlanned }),
    diffMode: c.diffMode ?? false,
    vars: c.vars ?? {},
    ...(c.user === undefined ? {} : { user: c.user }),
    ...(filesDir === undefined ? {} : { filesDir }),
  });
  const plan: Plan = await module.check(ctx, valid.args);
  if (plan.changed !== true || ctx.checkMode) return { ctx, args: valid.args, plan };
  ctx.phase = "apply";
  const applied = await applyPlan(module, ctx, valid.args, plan);
  return { ctx, args: valid.args, plan, applied };
}

async function applyPlan(module: AnyModule, ctx: FakeContext, args: Record<string, unknown>, plan: ChangePlan): Promise<ApplyResult> {
  if (module.apply) return module.apply(ctx, args, plan);
  for (const command of plan.commands) await ctx.run(command);
  return { changed: true };
}

function mergeFacts(before: FactFixtures, after: FactFixtures): FactFixtures {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const [name, byArgs] of Object.entries(before)) merged[name] = { ...byArgs };
  for (const [name, byArgs] of Object.entries(after)) merged[name] = { ...merged[name], ...byArgs };
  return merged;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Every field of `expected` (recursively, for objects) is in `actual`. */
function assertSubset(actual: unknown, expected: unknown, what: string): void {
  if (!isRecord(expected) || !isRecord(actual)) {
    assert.deepEqual(actual, expected, what);
    return;
  }
  for (const [key, value] of Object.entries(expected)) assertSubset(actual[key], value, `${what}.${key}`);
}

function assertContains(actual: Record<string, unknown> | undefined, expected: Record<string, unknown>, what: string): void {
  for (const [key, value] of Object.entries(expected)) assert.deepEqual(actual?.[key], value, `${what}.${key}`);
}

async function checkCase(module: AnyModule, c: ModuleCase, filesDir: string): Promise<void> {
  const e = c.expect;
  if (e.schemaError !== undefined) {
    const result = validateArgs(module, c.args);
    assert.ok("error" in result, "args should fail the schema");
    assert.ok(result.error.includes(e.schemaError), `schema error "${result.error}" should contain "${e.schemaError}"`);
    return;
  }
  if (e.error !== undefined) {
    const expected = e.error;
    await assert.rejects(runCase(module, c, filesDir), (err: unknown) => {
      assert.ok(err instanceof Error);
      assert.ok([err.name, (err as { code?: unknown }).code].includes(expected.code), `error ${err.name} should be ${expected.code}`);
      assert.equal(err.message, expected.message);
      return true;
    });
    return;
  }
  const { ctx, plan, applied, args } = await runCase(module, c, filesDir);
  const probes = Object.keys(c.probes ?? {});
  for (const command of ctx.commands("check")) assert.ok(probes.includes(command), `check() ran a side-effecting command: ${command}`);
  if (e.changed !== undefined) assert.equal(plan.changed, e.changed, `changed (${plan.changed === true ? plan.summary : plan.reason})`);
  if (plan.changed === true) {
    assert.ok(plan.summary.trim() !== "", "a change has a summary");
    assert.equal(e.reason, undefined, "a change has no reason");
    if (e.summary !== undefined) assert.equal(plan.summary, e.summary);
    if (e.commands !== undefined) assert.deepEqual(plan.commands.map((cmd) => cmd.display), e.commands);
    if (e.diffs !== undefined) assert.deepEqual(plan.diffs ?? [], e.diffs);
    if (e.warnings !== undefined) assert.deepEqual([...ctx.warnings, ...(plan.warnings ?? [])], e.warnings, "warnings");
    if (e.predicts !== undefined) {
      assert.deepEqual(
        (plan.predicts ?? []).map((p) => ({ fact: p.fact.name, args: p.args, value: p.value })),
        e.predicts,
      );
    }
    if (applied !== undefined) {
      assert.deepEqual(ctx.commands("apply"), plan.commands.map((cmd) => cmd.display), "apply runs exactly the planned commands");
      if (e.applyOutput !== undefined) assertContains(applied.output, e.applyOutput, "apply output");
    }
  } else {
    assert.ok(plan.reason.trim() !== "", "a no-op has a reason");
    assert.equal(e.summary, undefined, "a no-op has no summary");
    assert.equal(e.commands, undefined, "a no-op has no commands");
    if (e.reason !== undefined) assert.equal(plan.reason, e.reason);
    if (e.warnings !== undefined) assert.deepEqual([...ctx.warnings, ...("warnings" in plan ? (plan.warnings ?? []) : [])], e.warnings, "warnings");
  }
  if (e.output !== undefined) assertContains("output" in plan ? plan.output : undefined, e.output, "plan output");
  if (e.requests !== undefined) assert.deepEqual(ctx.requests, e.requests, "requests sent over the host's TCP streams");
  if (c.factsAfter === undefined) return;
  if (plan.changed !== true) throw new assert.AssertionError({ message: "factsAfter only makes sense for a change" });
  const after = mergeFacts(c.facts ?? {}, c.factsAfter);
  // A prediction may leave out what cannot be known before apply (an inode, the uid of a new owner).
  const afterIndex = new Map<string, unknown>();
  for (const [name, byArgs] of Object.entries(after)) {
    for (const [a, v] of Object.entries(byArgs)) afterIndex.set(`${name} ${canonicalJson(JSON.parse(a))}`, v);
  }
  for (const p of plan.predicts ?? []) {
    const key = `${p.fact.name} ${canonicalJson(p.args)}`;
    const value = afterIndex.get(key);
    if (value === undefined) continue;
    assertSubset(value, p.value, `predicted ${key}`);
  }
  ctx.resetFacts(after);
  const again: Plan = await module.check(ctx, args);
  if (module.capabilities.idempotent) {
    assert.equal(again.changed, false, `check after apply is a no-op (${again.changed === true ? again.summary : again.reason})`);
  }
}

function loadCases(dir: string): { file: string; c: ModuleCase }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => ({ file, c: JSON.parse(readFileSync(join(dir, file), "utf8")) as ModuleCase }));
}

/** The args of a YAML example task (`- copy: {...}`), free-form text mapped to the module's free-form argument. */
function exampleArgs(module: AnyModule, snippet: string): Record<string, unknown> {
  const doc: unknown = parseYaml(snippet);
  const task: unknown = Array.isArray(doc) ? doc[0] : doc;
  assert.ok(task !== null && typeof task === "object", `example is a task: ${snippet}`);
  const value = (task as Record<string, unknown>)[module.name];
  if (typeof value === "string" && module.freeForm !== undefined) return { [module.freeForm]: value };
  assert.ok(value !== null && typeof value === "object", `example uses ${module.name}: ${snippet}`);
  return value as Record<string, unknown>;
}

/**
 * Registers one test per fixture in `dir` (relative to the repo root; default test/modules/<name>), plus one test
 * that every example of the module passes its schema. Fixture files' controller-side files (copy src,
 * template src) live in the same directory, under files/ and templates/.
 */
export function runModuleCases(module: AnyModule, dir = `test/modules/${module.name}`): void {
  const absolute = join(repoRoot, dir);
  void describe(`${module.name} fixtures`, () => {
    for (const { file, c } of loadCases(absolute)) {
      void test(`${file}: ${c.description}`, () => checkCase(module, c, absolute));
    }
    void test("every example passes the schema", () => {
      assert.ok(module.examples.length > 0, "the module has examples");
      for (const snippet of module.examples) {
        const result = validateArgs(module, exampleArgs(module, snippet));
        assert.ok(!("error" in result), `${snippet}\n${"error" in result ? result.error : ""}`);
      }
    });
  });
}

/** A captured probe: the fact's arguments, the exact probe command, the host's real output and the parsed fact. */
export interface FactCase<A> {
  args: A;
  command: string;
  output: ProbeOutput;
  fact: unknown;
}

/**
 * A combined probe (FactDefinition.many) captured on a host together with the single probes of the same
 * arguments: cutting the combined output apart must give exactly what the single probes printed.
 */
export interface ManyFactCase<A> {
  args: A[];
  command: string;
  output: ProbeOutput;
  outputs: ProbeOutput[];
}

/**
 * Registers one test per test/facts/<name>/*.json capture (the probe command and the parse of the real output)
 * and, for a fact that answers many at once, per test/facts/<name>/many/*.json capture.
 */
export function runFactCases<T, A>(fact: FactDefinition<T, A>, dir = `test/facts/${fact.name}`): void {
  const absolute = join(repoRoot, dir);
  void describe(`${fact.name} captures`, () => {
    for (const file of readdirSync(absolute).filter((f) => f.endsWith(".json")).sort()) {
      const c = JSON.parse(readFileSync(join(absolute, file), "utf8")) as FactCase<A>;
      void test(`${file}: probe and parse`, () => {
        assert.equal(fact.command(c.args).text, c.command);
        assert.deepEqual(fact.parse(c.output, c.args), c.fact);
      });
    }
    const many = fact.many;
    if (!many) return;
    const manyDir = join(absolute, "many");
    const files = readdirSync(manyDir).filter((f) => f.endsWith(".json")).sort();
    void test("a fact that answers many at once has captures of it", () => assert.ok(files.length > 0, `no captures in ${manyDir}`));
    for (const file of files) {
      const c = JSON.parse(readFileSync(join(manyDir, file), "utf8")) as ManyFactCase<A>;
      void test(`many/${file}: one probe for ${c.args.length} gives what the single probes gave`, () => {
        assert.equal(many.command(c.args).text, c.command);
        assert.deepEqual(many.split(c.output, c.args), c.outputs);
      });
    }
  });
}
