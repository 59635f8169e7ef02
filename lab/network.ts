/**
 * A lab host's network: its own namespace, a veth pair to the machine on a private /24, a default route, and a
 * MASQUERADE rule so apt inside reaches the Debian mirror (other lab hosts see its own address). In the machine's
 * own namespace the lab adds only the veth end and the NAT rule (tagged with a comment); `down` takes both back
 * (forwarding: see sysctl.ts).
 */
import { existsSync } from "node:fs";
import type { HostNet } from "./addresses.js";
import { LAB_SUPERNET, vethIndexes } from "./addresses.js";
import { run, runChecked } from "./exec.js";
import { netnsPrefix, ruleTag } from "./paths.js";

export async function createHostNetwork(lab: string, host: string, netns: string, net: HostNet): Promise<void> {
  await runChecked("ip", ["netns", "add", netns]);
  await runChecked("ip", ["link", "add", net.veth, "type", "veth", "peer", "name", "eth0", "netns", netns]);
  await runChecked("ip", ["addr", "add", `${net.gateway}/24`, "dev", net.veth]);
  await runChecked("ip", ["link", "set", net.veth, "up"]);
  await runChecked("ip", ["-n", netns, "link", "set", "lo", "up"]);
  await runChecked("ip", ["-n", netns, "addr", "add", `${net.address}/24`, "dev", "eth0"]);
  await runChecked("ip", ["-n", netns, "link", "set", "eth0", "up"]);
  await runChecked("ip", ["-n", netns, "route", "add", "default", "via", net.gateway]);
  await runChecked("iptables", ["-w", "-t", "nat", "-A", "POSTROUTING", ...natRule(lab, host, net)]);
}

/**
 * The MASQUERADE rule of one host: traffic from its /24 leaving by any other interface, but for another lab host.
 * Between lab hosts the source address stays the sender's, as on a real network: a database host's pg_hba.conf or
 * firewall that admits only its web host sees that host's address, not the machine's end of its own veth pair.
 */
export function natRule(lab: string, host: string, net: HostNet): string[] {
  return ["-s", net.subnet, "!", "-d", LAB_SUPERNET, "!", "-o", net.veth, "-m", "comment", "--comment", ruleTag(lab, host), "-j", "MASQUERADE"];
}

/**
 * `iptables -D` arguments for every rule in `iptables -S` output tagged for LAB. iptables prints the comment in
 * double quotes; the lab's tags hold no spaces, so words split on blanks with the quotes taken off.
 */
export function taggedRuleDeletions(iptablesS: string, lab: string): string[][] {
  const prefix = ruleTag(lab, "");
  return iptablesS
    .split("\n")
    .filter((line) => line.startsWith("-A "))
    .map((line) => line.slice(3).trim().split(/\s+/).map((word) => word.replace(/^"(.*)"$/, "$1")))
    .filter((words) => words.some((word, i) => words[i - 1] === "--comment" && word.startsWith(prefix)))
    .map((words) => ["-D", ...words]);
}

export async function deleteLabRules(lab: string): Promise<void> {
  const rules = await runChecked("iptables", ["-w", "-t", "nat", "-S", "POSTROUTING"]);
  for (const deletion of taggedRuleDeletions(rules, lab)) await runChecked("iptables", ["-w", "-t", "nat", ...deletion]);
}

export async function labNetnses(lab: string): Promise<string[]> {
  const output = await runChecked("ip", ["netns", "list"]);
  return output
    .split("\n")
    .map((line) => line.split(" ")[0] ?? "")
    .filter((name) => name.startsWith(netnsPrefix(lab)));
}

/** Deletes a namespace; its end of the veth pair goes with it, and so does the machine's end. */
export async function deleteNetns(netns: string): Promise<void> {
  if (existsSync(`/run/netns/${netns}`)) await runChecked("ip", ["netns", "delete", netns]);
}

export async function deleteLink(veth: string): Promise<void> {
  const shown = await run("ip", ["link", "show", veth]);
  if (shown.code === 0) await runChecked("ip", ["link", "delete", veth]);
}

export async function usedVethIndexes(): Promise<number[]> {
  return vethIndexes(await runChecked("ip", ["-o", "link", "show"]));
}
