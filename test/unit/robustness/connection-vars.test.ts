/**
 * Issue 16 item 8: connection variables are checked for every host before any host is contacted, at their place
 * in the inventory (`ansible_port: twenty-two` was a host unreachable at `127.0.0.1:NaN`, exit 3); and -e wins
 * for them, as the README says.
 */
import assert from "node:assert/strict";
import { NO_VAULT } from "../../../engine/vault/vault.js";
import { join } from "node:path";
import { describe, test } from "node:test";
import { connectionSettings } from "../../../engine/execute/host-connection.js";
import { InputErrors } from "../../../engine/errors.js";
import { loadInventory } from "../../../engine/load/inventory.js";
import { repoRoot, runRemsPlay } from "../../helpers/rems-play.js";

const dir = join(repoRoot, "test/fixtures/bad-input");

describe("issue 16 item 8: connection variables", () => {
  test("item 8: ansible_port: twenty-two is refused before any host is contacted, at its place in the inventory", async () => {
    const run = await runRemsPlay(["playbook.yml", "-i", "port.ini"], { cwd: dir });
    assert.equal(run.exitCode, 4, run.stderr);
    assert.equal(run.results.length, 0);
    assert.equal(run.stderr, "ERROR: port.ini:3:42: host web1: ansible_port must be a port number from 1 to 65535, got 'twenty-two'\n");
  });

  test("item 8: each connection variable is checked per host, templated ones after rendering", () => {
    const inventory = loadInventory([join(dir, "inventory.ini")], NO_VAULT);
    const defaults = { user: undefined, privateKey: undefined, becomePassword: undefined, hostKeyPolicy: "strict" as const, extraVars: {} };
    // "{{ 70000 }}" renders to the text '70000', as in Ansible 2.14, and is read as the port number it spells.
    const bad = { ...inventory.hostVars("web1"), ansible_connection: "ssh", ansible_port: "{{ 70000 }}", ansible_timeout: "soon", ansible_host_key_checking: "maybe", ansible_host: "" };
    assert.throws(
      () => connectionSettings("web1", bad, defaults),
      (error: unknown) => {
        assert.ok(error instanceof InputErrors);
        assert.deepEqual(
          error.errors.map((e) => e.message),
          [
            "host web1: ansible_host must be a host name or address, got ''",
            "host web1: ansible_port must be a port number from 1 to 65535, got '70000'",
            "host web1: ansible_host_key_checking must be a boolean (true/false, yes/no), got 'maybe'",
            "host web1: ansible_timeout must be a number of seconds above 0, got 'soon'",
          ],
        );
        return true;
      },
    );
  });

  test("item 8: -e ansible_host, ansible_port and ansible_host_key_checking win over the inventory for the connection", () => {
    const inventoryVars = { ansible_host: "10.0.0.1", ansible_port: 22, ansible_host_key_checking: false };
    // --host-key-checking not given: the inventory's false holds (with a warning), and -e wins over it.
    const defaults = { user: undefined, privateKey: undefined, becomePassword: undefined, hostKeyPolicy: undefined };
    const fromInventory = connectionSettings("web1", inventoryVars, { ...defaults, extraVars: {} }).spec;
    assert.deepEqual([fromInventory.address, fromInventory.port, fromInventory.hostKeyPolicy], ["10.0.0.1", 22, "ignore"]);
    const extraVars = { ansible_host: "127.0.0.2", ansible_port: "2222", ansible_host_key_checking: "true" };
    const fromExtraVars = connectionSettings("web1", inventoryVars, { ...defaults, extraVars }).spec;
    assert.deepEqual([fromExtraVars.address, fromExtraVars.port, fromExtraVars.hostKeyPolicy], ["127.0.0.2", 2222, "strict"]);
  });
});
