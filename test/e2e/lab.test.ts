/**
 * The lab itself, on real hosts: hosts boot and answer over SSH with their own host keys, apt reaches the mirror
 * through the NAT, and `down` (also after a killed `up`) leaves the machine exactly as it found it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { runChecked } from "../../lab/exec.js";
import { claimLab, labDown, labUp } from "../../lab/lab.js";
import { labPaths, netnsPrefix } from "../../lab/paths.js";
import { ssh } from "../../lab/ssh.js";
import { labNames, readState } from "../../lab/state.js";
import { LAB_SYSCTLS } from "../../lab/sysctl.js";
import { bootLab, labAvailable } from "../helpers/lab.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/**
 * Everything of LAB on the machine: namespaces, NAT rules, veth ends (of the subnets in INDEXES that no other lab
 * holds now), mounts, processes, files. Other labs may come and go meanwhile (several labs share the machine), so
 * only LAB's own things are listed.
 */
async function footprint(lab: string, indexes: readonly number[]): Promise<string[]> {
  const dir = labPaths(lab).dir;
  const found: string[] = [];
  for (const netns of (await runChecked("ip", ["netns", "list"])).split("\n")) {
    if (netns.startsWith(netnsPrefix(lab))) found.push(`netns ${netns}`);
  }
  for (const rule of (await runChecked("iptables", ["-w", "-t", "nat", "-S"])).split("\n")) {
    if (rule.includes(`rems-lab:${lab}:`)) found.push(`rule ${rule}`);
  }
  const links = (await runChecked("ip", ["-o", "link", "show"])).split("\n").map((line) => line.split(":")[1]?.trim().split("@")[0] ?? "");
  const otherLabs = new Set(labNames().filter((name) => name !== lab).flatMap((name) => readState(name)?.hosts.map((host) => host.index) ?? []));
  for (const index of indexes) {
    if (links.includes(`rlab${index}`) && !otherLabs.has(index)) found.push(`link rlab${index}`);
  }
  for (const point of readFileSync("/proc/self/mountinfo", "utf8").split("\n").map((line) => line.split(" ")[4] ?? "")) {
    if (point.startsWith(`${dir}/`)) found.push(`mount ${point}`);
  }
  for (const pid of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      if (cmdline.includes(`${dir}/`) || readlinkSync(`/proc/${pid}/root`).startsWith(`${dir}/`)) found.push(`process ${pid} ${cmdline}`);
    } catch {
      // gone while we looked
    }
  }
  if (existsSync(dir)) found.push(`directory ${dir}`);
  return found;
}

function sysctls(): string[] {
  return Object.keys(LAB_SYSCTLS).map((path) => `${path}=${readFileSync(path, "utf8").trim()}`);
}

function indexesOf(lab: string): number[] {
  return readState(lab)?.hosts.map((host) => host.index) ?? [];
}

void test("three lab hosts boot, answer over SSH with their own keys, reach the mirror, and down leaves nothing", async (t) => {
  const sysctlsBefore = labNames().length === 0 ? sysctls() : undefined;
  const lab = await bootLab(t, "e2e-lab", 3);
  if (lab === undefined) return;
  const indexes = indexesOf(lab.name);
  const up = await footprint(lab.name, indexes);
  for (const kind of ["netns", "rule", "link", "mount", "process", "directory"]) {
    assert.equal(up.some((line) => line.startsWith(`${kind} `)), true, `no ${kind} seen while the lab is up: ${up.join("\n")}`);
  }
  assert.deepEqual(lab.hosts.map((host) => host.name), ["lab1", "lab2", "lab3"]);

  const inventory = parse(readFileSync(lab.inventoryPath, "utf8")) as { all: { hosts: Record<string, { ansible_host: string }> } };
  assert.deepEqual(
    Object.entries(inventory.all.hosts).map(([name, vars]) => [name, vars.ansible_host]),
    lab.hosts.map((host) => [host.name, host.address]),
  );

  for (const host of lab.hosts) {
    const result = await lab.ssh(host.name, "hostname; systemctl is-system-running; ip -4 -o addr show dev eth0");
    assert.equal(result.code === 0 || result.stdout.includes("degraded"), true, result.stderr);
    const [hostname, state, addr] = result.stdout.trim().split("\n");
    assert.equal(hostname, host.name);
    assert.match(state ?? "", /^(running|degraded)$/);
    assert.match(addr ?? "", new RegExp(` ${host.address.replaceAll(".", "\\.")}/24 `));
  }

  // Each host has its own host keys, and ssh checked them strictly against the lab's known_hosts above.
  const ed25519 = readFileSync(lab.knownHostsPath, "utf8").split("\n").filter((line) => line.includes(" ssh-ed25519 "));
  assert.equal(ed25519.length, 3);
  assert.equal(new Set(ed25519.map((line) => line.split(" ")[2])).size, 3);

  const apt = await lab.ssh("lab1", "apt-get update");
  assert.equal(apt.code, 0, apt.stderr);
  assert.match(apt.stdout, /bookworm/);

  await lab.down();
  assert.deepEqual(await footprint(lab.name, indexes), []);
  // The machine-wide switches go back once no lab is left (other labs may be up on a shared machine).
  if (sysctlsBefore !== undefined && labNames().length === 0) assert.deepEqual(sysctls(), sysctlsBefore);
});

void test("up after a killed up cleans the leftovers first, and down then leaves nothing", async (t) => {
  if (!labAvailable(t)) return;
  const name = await claimLab("e2e-killed");
  t.after(() => labDown(name));

  // A CLI `up` killed once its hosts are booting: processes, namespaces, rules and overlays are left behind.
  const cli = spawn(process.execPath, [join(repoRoot, "dist/lab/cli.js"), "up", "2", "--lab", name], { stdio: "ignore" });
  // The claimed name has a state without hosts until the CLI's up writes them.
  while (!(indexesOf(name).length > 0 && (readState(name)?.hosts.every((host) => host.pid !== undefined) ?? false))) {
    assert.equal(cli.exitCode, null, "lab up ended before its hosts were booting");
    await sleep(100);
  }
  cli.kill("SIGKILL");
  await new Promise((done) => cli.once("exit", done));
  const killedIndexes = indexesOf(name);
  const left = await footprint(name, killedIndexes);
  assert.equal(left.filter((line) => line.startsWith("process ")).length > 0, true, left.join("\n"));

  const again = await labUp(name, 1);
  assert.deepEqual(again.hosts.map((host) => host.name), ["lab1"]);
  const netns = (await runChecked("ip", ["netns", "list"])).split("\n").filter((line) => line.startsWith(netnsPrefix(name)));
  assert.equal(netns.length, 1);
  const [host] = again.hosts;
  assert.ok(host);
  const hostname = await ssh({ address: host.address, keyPath: again.keyPath, knownHostsPath: again.knownHostsPath }, "hostname");
  assert.equal(hostname.stdout.trim(), "lab1", hostname.stderr);

  const indexes = [...killedIndexes, ...indexesOf(name)];
  await labDown(name);
  assert.deepEqual(await footprint(name, indexes), []);
});

void test("tests claim free lab names: taken ones are skipped, a name whose claimer is gone is free again", async (t) => {
  if (!labAvailable(t)) return;
  const claimed: string[] = [];
  t.after(async () => {
    for (const name of claimed) await labDown(name);
  });
  // A process that claims a name and exits leaves a leftover claim behind.
  const script = `import { claimLab } from ${JSON.stringify(join(repoRoot, "dist/lab/lab.js"))}; process.stdout.write(await claimLab("e2e-claim"));`;
  const gone = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  assert.equal(gone.status, 0, gone.stderr);
  claimed.push(gone.stdout);
  claimed.push(await claimLab("e2e-claim"));
  claimed.push(await claimLab("e2e-claim"));
  assert.equal(claimed[1], gone.stdout, "the name of a claimer that is gone is free again");
  assert.notEqual(claimed[2], claimed[1]);
  assert.equal(readState(claimed[2] ?? "")?.owner?.pid, process.pid);
});
