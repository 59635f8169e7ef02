import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { InputErrors, InventoryError } from "../../../engine/errors.js";
import { expandHostRange, loadInventory } from "../../../engine/load/inventory.js";
import { locationOf, valueLocationOf } from "../../../engine/source/locations.js";
import { fixture } from "../../fixtures/load/registry.js";
import { NO_VAULT } from "../../../engine/vault/vault.js";

const names = (hosts: { name: string }[]): string[] => hosts.map((h) => h.name);

describe("YAML inventory", () => {
  const file = fixture("inventory", "yaml", "hosts.yml");
  const inventory = loadInventory([file], NO_VAULT);

  test("hosts (ranges expanded), groups through children", () => {
    assert.deepEqual(names(inventory.hosts()), ["solo", "web01", "web02", "web03", "db1"]);
    assert.deepEqual(inventory.host("web02")?.groups, ["prod", "web"]);
    assert.deepEqual(inventory.host("solo")?.groups, ["ungrouped"], "a host in no group has ungrouped in its group_names, as in Ansible");
    const prod = inventory.groups().find((g) => g.name === "prod");
    assert.deepEqual(prod?.children, ["web", "db"]);
    assert.deepEqual(inventory.groups().find((g) => g.name === "ungrouped")?.hosts, ["solo"]);
  });

  test("a source added after the groups were asked for is seen (the groups of each host are cached)", () => {
    const grown = loadInventory([file], NO_VAULT);
    assert.deepEqual(grown.host("solo")?.groups, ["ungrouped"]);
    grown.addSource({ extra: { hosts: { solo: null } } }, "extra source");
    assert.deepEqual(grown.host("solo")?.groups, ["extra"]);
    assert.deepEqual(grown.selectHosts("ungrouped"), []);
  });

  test("host vars from the inventory line and host_vars/ beside it", () => {
    assert.deepEqual(inventory.host("web01")?.vars, { ansible_port: 2222, level: "host_vars-web01" });
  });

  test("precedence: all first, parents before children, group_vars/ (file and folder forms), then host vars", () => {
    const layers = inventory.hostVarLayers("web02").map((l) => l.label);
    const dir = fixture("inventory", "yaml");
    assert.deepEqual(layers, [
      `${file} (group all)`,
      `${file} (group prod)`,
      `${file} (group web)`,
      `${dir}/group_vars/all.yml`,
      `${dir}/group_vars/prod.yaml`,
      `${dir}/group_vars/web/01-first.yml`,
      `${dir}/group_vars/web/02-second.yml`,
      `${file} (host web02)`,
    ]);
    assert.deepEqual(inventory.hostVars("web02"), {
      level: "group_vars-web-01",
      ansible_user: "deploy",
      from_all: true,
      web_port: 8082,
      ansible_port: 2222,
    });
    assert.equal(inventory.hostVars("solo").level, "group_vars-all");
    assert.equal(inventory.hostVars("db1").level, "inventory-host");
  });

  test("group_vars/ and host_vars/ beside the playbook win over those beside the inventory", () => {
    const playbookDir = fixture("playbook");
    assert.equal(inventory.hostVars("web02", playbookDir).level, "playbook-group_vars-web");
    // inventory host_vars/ still beat any group_vars/
    assert.equal(inventory.hostVars("web01", playbookDir).level, "host_vars-web01");
    assert.equal(inventory.hostVars("db1", playbookDir).level, "playbook-host_vars-db1");
  });

  test("merged vars keep the location of the file that set each value", () => {
    const vars = inventory.hostVars("web02");
    assert.deepEqual(locationOf(vars, "web_port"), { file: `${fixture("inventory", "yaml")}/group_vars/web/02-second.yml`, line: 1, col: 1 });
    assert.deepEqual(valueLocationOf(vars, "ansible_port"), { file, line: 15, col: 29 });
  });

  test("implicit localhost (connection local) when the inventory has none; not part of all", () => {
    assert.equal(inventory.hosts().some((h) => h.name === "localhost"), false);
    assert.equal(inventory.hostVars("localhost").ansible_connection, "local");
    assert.equal(inventory.hostVars("localhost").level, "group_vars-all");
    assert.deepEqual(inventory.selectHosts("localhost"), ["localhost"]);
    assert.equal(inventory.selectHosts("all").includes("localhost"), false);
  });
});

describe("INI inventory", () => {
  const file = fixture("inventory", "ini", "hosts.ini");
  const inventory = loadInventory([file], NO_VAULT);

  test("[group], [group:vars], [group:children], host key=value with Python-literal values", () => {
    assert.deepEqual(names(inventory.hosts()), ["lonely", "web1", "web2", "db1"]);
    assert.deepEqual(inventory.host("web1")?.vars, { ansible_host: "10.0.0.1", ansible_port: 2222, label: "two words" });
    assert.deepEqual(inventory.host("db1")?.groups, ["prod", "db"]);
    assert.deepEqual(inventory.selectHosts("ungrouped"), ["lonely"]);
  });

  test("group vars from the INI file and from group_vars/<name> without extension", () => {
    assert.deepEqual(inventory.hostVars("web2"), { env: "production", replicas: 3, from_prod_file: true });
    assert.deepEqual(valueLocationOf(inventory.hostVars("web2"), "replicas"), { file, line: 17, col: 10 });
    assert.deepEqual(locationOf(inventory.hostVars("web1"), "ansible_port"), { file, line: 5, col: 28 });
  });
});

describe("inventory directories and several sources", () => {
  test("a directory: every inventory file in it, YAML and INI", () => {
    const inventory = loadInventory([fixture("inventory", "dir")], NO_VAULT);
    assert.deepEqual(names(inventory.hosts()), ["a1", "a2", "b1"]);
    assert.deepEqual(inventory.selectHosts("web"), ["a1", "a2"]);
  });

  test("several -i sources add up", () => {
    const inventory = loadInventory([fixture("inventory", "dir"), fixture("inventory", "ini", "hosts.ini")], NO_VAULT);
    assert.deepEqual(inventory.selectHosts("web"), ["a1", "a2", "web1", "web2"]);
  });
});

describe("inventory errors", () => {
  test("unknown keys with did-you-mean, all at once, as InventoryError", () => {
    const file = fixture("inventory", "bad.yml");
    try {
      loadInventory([file], NO_VAULT);
      assert.fail("expected InputErrors");
    } catch (e) {
      assert.ok(e instanceof InputErrors);
      assert.ok(e.errors.every((x) => x instanceof InventoryError));
      assert.deepEqual(e.errors.map((x) => x.describe()), [
        `${file}:2:3: unknown key 'host' in 'all'; did you mean 'hosts'?`,
        `${file}:6:7: unknown key 'hots' in 'all.children.web'; did you mean 'hosts'?`,
      ]);
    }
  });

  test("a missing inventory path", () => {
    assert.throws(() => loadInventory(["nope/hosts.yml"], NO_VAULT), (e: unknown) => e instanceof InputErrors && e.message === "inventory 'nope/hosts.yml' not found");
  });
});

describe("host patterns", () => {
  const inventory = loadInventory([fixture("inventory", "yaml", "hosts.yml")], NO_VAULT);
  const select = (pattern: string, limit?: string) => inventory.selectHosts(pattern, limit);

  test("all, *, groups, hosts, globs, regex", () => {
    assert.deepEqual(select("all"), ["solo", "web01", "web02", "web03", "db1"]);
    assert.deepEqual(select("*"), select("all"));
    assert.deepEqual(select("prod"), ["web01", "web02", "web03", "db1"]);
    assert.deepEqual(select("db1"), ["db1"]);
    assert.deepEqual(select("web0*"), ["web01", "web02", "web03"]);
    assert.deepEqual(select("~web0[12]"), ["web01", "web02"]);
  });

  test("union, intersection, exclusion (with : or ,), in inventory order", () => {
    assert.deepEqual(select("db:web"), ["web01", "web02", "web03", "db1"]);
    assert.deepEqual(select("db,solo"), ["solo", "db1"]);
    assert.deepEqual(select("prod:&web"), ["web01", "web02", "web03"]);
    assert.deepEqual(select("prod:!web"), ["db1"]);
    assert.deepEqual(select("all:!prod:web02"), ["solo"]);
  });

  test("subscripts pick hosts of a group by position (end included)", () => {
    assert.deepEqual(select("web[0:1]"), ["web01", "web02"]);
    assert.deepEqual(select("web[2]"), ["web03"]);
    assert.deepEqual(select("web[-1]"), ["web03"]);
    assert.deepEqual(select("prod[1:]"), ["web02", "web03", "db1"]);
  });

  test("--limit intersects the play's hosts", () => {
    assert.deepEqual(select("prod", "web02:db1"), ["web02", "db1"]);
    assert.deepEqual(select("web", "all:!web01"), ["web02", "web03"]);
  });

  test("an unknown name is an error with a suggestion; an empty glob is not", () => {
    assert.throws(
      () => select("wbe"),
      (e: unknown) => e instanceof InventoryError && e.message === "host pattern 'wbe' matches no host or group of the inventory; did you mean 'web'?",
    );
    assert.deepEqual(select("zz*"), []);
  });

  test("host ranges", () => {
    assert.deepEqual(expandHostRange("web[01:03].lab"), ["web01.lab", "web02.lab", "web03.lab"]);
    assert.deepEqual(expandHostRange("db-[a:c]"), ["db-a", "db-b", "db-c"]);
    assert.deepEqual(expandHostRange("n[1:9:4]"), ["n1", "n5", "n9"]);
  });
});

// Issue 14: `-i host1,host2,` and `-i localhost,` were "inventory 'localhost,' not found".
describe("a comma-separated host list as the inventory (Ansible's host_list)", () => {
  test("each name is a host of ungrouped, in the order given, with ansible_port from host:port", () => {
    const inventory = loadInventory(["web1, db1:2222 ,[fe80::1]:2200,::1,web1:2200,odd:port,"], NO_VAULT);
    assert.deepEqual(inventory.hostNames(), ["web1", "db1", "fe80::1", "::1", "odd:port"]);
    assert.deepEqual(inventory.selectHosts("ungrouped"), ["web1", "db1", "fe80::1", "::1", "odd:port"]);
    assert.deepEqual(inventory.host("db1")?.vars, { ansible_port: 2222 });
    assert.deepEqual(inventory.host("fe80::1")?.vars, { ansible_port: 2200 });
    // The first mention of a host wins.
    assert.deepEqual(inventory.host("web1")?.vars, {});
  });

  test("localhost, is an inventory host like any other: no implicit local connection", () => {
    const inventory = loadInventory(["localhost,"], NO_VAULT);
    assert.deepEqual(inventory.selectHosts("all"), ["localhost"]);
    assert.deepEqual(inventory.host("localhost")?.vars, {});
  });

  test("a host list adds to the files given with it; a name without a comma that is no file is still not found", () => {
    const inventory = loadInventory([fixture("inventory", "yaml", "hosts.yml"), "extra1,"], NO_VAULT);
    assert.ok(inventory.hostNames().includes("extra1"));
    assert.ok(inventory.hostNames().includes("web01"));
    assert.throws(() => loadInventory(["no-such-inventory"], NO_VAULT), (e) => e instanceof InputErrors && e.errors[0]?.message === "inventory 'no-such-inventory' not found");
  });
});
