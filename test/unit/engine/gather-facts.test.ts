import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { factVars, parseHostFacts } from "../../../engine/gather-facts.js";
import { repoRoot } from "../../helpers/rems-play.js";

test("parses facts captured from a Debian 12 machine", () => {
  const facts = parseHostFacts(readFileSync(join(repoRoot, "test/fixtures/engine/gather-facts-debian12-vm.txt"), "utf8"));
  assert.equal(facts.distribution, "Debian");
  assert.equal(facts.distribution_major_version, "12");
  assert.equal(facts.distribution_release, "bookworm");
  assert.equal(facts.os_family, "Debian");
  assert.equal(facts.architecture, "x86_64");
  assert.equal(facts.processor_vcpus, 2);
  assert.equal(facts.memtotal_mb, 24105);
  assert.deepEqual(facts.default_ipv4, { address: "192.0.2.2", prefix: "24", interface: "eth0", gateway: "192.0.2.1" });
  assert.equal(factVars(facts).ansible_distribution, "Debian");
});

test("output without os-release is an error, not empty facts", () => {
  assert.throws(() => parseHostFacts("[hostname]\nx\n"), /os-release has no ID/);
});
