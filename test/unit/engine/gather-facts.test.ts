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
  assert.equal(facts.processor_nproc, 2);
  assert.equal(facts.memtotal_mb, 24105);
  assert.deepEqual(facts.default_ipv4, { address: "192.0.2.2", prefix: "24", interface: "eth0", gateway: "192.0.2.1" });
  assert.equal(factVars(facts).ansible_distribution, "Debian");
});

test("parses facts captured on a lab host: systemd, its veth address and gateway", () => {
  const facts = parseHostFacts(readFileSync(join(repoRoot, "test/fixtures/engine/gather-facts-debian12-lab.txt"), "utf8"));
  assert.equal(facts.hostname, "lab1");
  assert.equal(facts.service_mgr, "systemd");
  assert.equal(facts.processor_nproc, 2);
  assert.deepEqual(facts.default_ipv4, { address: "10.88.1.2", prefix: "24", interface: "eth0", gateway: "10.88.1.1" });
  assert.deepEqual(facts.python, { executable: "/usr/bin/python3" });
});

test("counts CPU ranges as nproc does and takes the default route of the lowest metric", () => {
  const header = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT";
  const facts = parseHostFacts(
    [
      "[os-release]", "ID=debian", "[cpus]", "0-3,6,8-9", "[route]", header,
      "eth1\t00000000\t0102A8C0\t0003\t0\t0\t200\t00000000\t0\t0\t0",
      "eth0\t00000000\t010200C0\t0002\t0\t0\t0\t00000000\t0\t0\t0",
      "eth2\t00000000\t0103A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0",
      "[addr]", "3: eth1    inet 192.168.2.5/24 scope global eth1", "4: eth2    inet 192.168.3.5/24 scope global eth2",
    ].join("\n"),
  );
  assert.equal(facts.processor_nproc, 7);
  // eth0's route is not up (flags without RTF_UP); of the other two, metric 100 wins.
  assert.deepEqual(facts.default_ipv4, { address: "192.168.3.5", prefix: "24", interface: "eth2", gateway: "192.168.3.1" });
});

test("output without os-release is an error, not empty facts", () => {
  assert.throws(() => parseHostFacts("[hostname]\nx\n"), /os-release has no ID/);
});

test("facts a module returned join ansible_facts and are variables by the name they were returned under", () => {
  const entry = ["x", "999", "999", "", "/opt/rems", "/usr/sbin/nologin"];
  const vars = factVars({ hostname: "lab1" }, { getent_passwd: { rems: entry }, ansible_local: { site: 1 } });
  assert.deepEqual(vars.ansible_facts, { hostname: "lab1", getent_passwd: { rems: entry }, local: { site: 1 } });
  assert.deepEqual(vars.getent_passwd, { rems: entry });
  assert.deepEqual(vars.ansible_local, { site: 1 });
  assert.equal(vars.ansible_hostname, "lab1");
  assert.equal(vars.ansible_getent_passwd, undefined);
});
