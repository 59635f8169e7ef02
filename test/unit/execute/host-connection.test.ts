/**
 * How a host is reached: the host-key policy (the command line wins; an inventory that turns checking off says so)
 * and the connection type (the host's ansible_connection, else the connection keyword).
 */
import assert from "node:assert/strict";
import { userInfo } from "node:os";
import { describe, test } from "node:test";
import { connectionSettings, hostKeyPolicy, knownConnection } from "../../../engine/execute/host-connection.js";

test("issue 16 item 4: --host-key-checking wins over the inventory; the inventory's false is a warning; strict by default", () => {
  assert.deepEqual(hostKeyPolicy("strict", false), { policy: "strict" });
  assert.deepEqual(hostKeyPolicy("accept-new", undefined), { policy: "accept-new" });
  const off = hostKeyPolicy(undefined, false);
  assert.equal(off.policy, "ignore");
  assert.match(off.warning ?? "", /host key checking is off for this host \(ansible_host_key_checking: false in the inventory\)/);
  assert.deepEqual(hostKeyPolicy(undefined, true), { policy: "strict" });
  assert.deepEqual(hostKeyPolicy(undefined, undefined), { policy: "strict" });
});

test("-e ansible_host_key_checking=false is said on the command line too: it wins, without a warning", () => {
  assert.deepEqual(hostKeyPolicy("strict", false, true), { policy: "ignore" });
});

// Issue 14: the connection keyword (play, block, task) as Ansible reads it; checked against ansible-playbook 2.14.
describe("the connection keyword", () => {
  const defaults = { user: "deploy", privateKey: undefined, becomePassword: undefined, hostKeyPolicy: undefined, extraVars: {} };
  const reached = (name: string, vars: Record<string, unknown>, connection?: string) => {
    const { spec } = connectionSettings(name, vars, connection === undefined ? defaults : { ...defaults, connection });
    return `${spec.type} ${spec.user === userInfo().username ? "(controller user)" : spec.user}`;
  };
  const cases: [string, string, Record<string, unknown>, string | undefined, string][] = [
    ["local runs on the controller as its own user, whatever ansible_user says", "web1", { ansible_user: "nobody" }, "local", "local (controller user)"],
    ["ssh, smart and paramiko are the SSH connection", "web1", {}, "smart", "ssh deploy"],
    ["the host's ansible_connection wins over the keyword", "web1", { ansible_connection: "ssh" }, "local", "ssh deploy"],
    ["ansible_connection: local wins over connection: ssh", "web1", { ansible_connection: "local" }, "ssh", "local (controller user)"],
    ["localhost stays local under connection: ssh (its implicit ansible_connection)", "localhost", {}, "ssh", "local (controller user)"],
    ["no keyword: SSH", "web1", {}, undefined, "ssh deploy"],
  ];
  for (const [behaviour, name, vars, connection, expected] of cases) {
    test(behaviour, () => assert.equal(reached(name, vars, connection), expected));
  }

  test("knownConnection takes Ansible's names of the connections rems-play has, and nothing else", () => {
    assert.deepEqual(["local", "ssh", "smart", "paramiko", "paramiko_ssh", "docker", "winrm", ""].map(knownConnection), ["local", "ssh", "smart", "paramiko", "paramiko_ssh", undefined, undefined, undefined]);
  });
});
