import { test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import { hostResolvConf } from "../../../lab/dns.js";
import { knownHostsLines, renderInventory } from "../../../lab/inventory.js";

void test("the inventory names every host with its address, root, the lab key and the lab known_hosts", () => {
  const text = renderInventory(
    [
      { name: "lab1", address: "10.88.1.2" },
      { name: "lab2", address: "10.88.4.2" },
    ],
    "/cache/id_ed25519",
    "/state/known_hosts",
  );
  assert.deepEqual(parse(text), {
    all: {
      hosts: {
        lab1: { ansible_host: "10.88.1.2", ansible_user: "root", ansible_ssh_private_key_file: "/cache/id_ed25519", rems_known_hosts_file: "/state/known_hosts" },
        lab2: { ansible_host: "10.88.4.2", ansible_user: "root", ansible_ssh_private_key_file: "/cache/id_ed25519", rems_known_hosts_file: "/state/known_hosts" },
      },
    },
  });
});

void test("known_hosts lines carry the address, key type and key, without the key comment", () => {
  assert.deepEqual(knownHostsLines("10.88.1.2", ["ssh-ed25519 AAAAC3 root@build\n", "ecdsa-sha2-nistp256 AAAAE2\n"]), [
    "10.88.1.2 ssh-ed25519 AAAAC3",
    "10.88.1.2 ecdsa-sha2-nistp256 AAAAE2",
  ]);
});

void test("a host's resolv.conf keeps the machine's resolvers except loopback ones", () => {
  assert.equal(hostResolvConf("search lan\nnameserver 127.0.0.53\nnameserver 10.0.0.2\n"), "search lan\nnameserver 10.0.0.2\n");
  assert.equal(hostResolvConf("nameserver 127.0.0.53\nnameserver ::1\n"), undefined);
});
