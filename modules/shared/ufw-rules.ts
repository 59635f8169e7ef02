/**
 * ufw rules as values (pure): whether two rules match the same traffic (ufw's own duplicate test), how a rule is
 * described and written as a ufw command, and the rules ufw stores for it.
 */
import { sh, type Command } from "../../engine/command.js";
import type { UfwRule } from "../facts/ufw-status.js";

/** Same traffic matched (ufw's own notion of a duplicate): everything but action, logging and comment. */
export function sameMatch(a: UfwRule, b: UfwRule): boolean {
  const app = a.toApp !== "" || b.toApp !== "";
  return (
    a.route === b.route &&
    a.direction === b.direction &&
    a.interfaceIn === b.interfaceIn &&
    a.interfaceOut === b.interfaceOut &&
    a.from === b.from &&
    a.to === b.to &&
    a.fromApp === b.fromApp &&
    a.toApp === b.toApp &&
    // An application rule's ports and protocol come from its profile.
    (app || (a.proto === b.proto && a.fromPort === b.fromPort && a.toPort === b.toPort))
  );
}

/** "allow 443/tcp", "deny from 10.0.0.0/8 to port 5432/tcp", "allow OpenSSH". */
export function describeRule(rule: UfwRule): string {
  const target = rule.toApp !== "" ? rule.toApp : rule.toPort === "any" ? "" : rule.proto === "any" ? rule.toPort : `${rule.toPort}/${rule.proto}`;
  const parts = [rule.route ? `route ${rule.action}` : rule.action];
  if (rule.direction === "out") parts.push("out");
  if (rule.interfaceIn !== "any") parts.push(`in on ${rule.interfaceIn}`);
  if (rule.interfaceOut !== "any") parts.push(`out on ${rule.interfaceOut}`);
  if (rule.from !== "any" || rule.fromPort !== "any") parts.push(`from ${rule.from}${rule.fromPort === "any" ? "" : ` port ${rule.fromPort}`}`);
  if (rule.to !== "any") parts.push(`to ${rule.to}`);
  if (target !== "") parts.push(rule.to === "any" && parts.length > 1 ? `to ${target}` : target);
  return parts.join(" ");
}

/** The ufw command line of a rule: `ufw [route] [delete] ACTION [in|out] [on IF] [log|log-all] from X [port P] to Y [port P|app A] [proto P] [comment C]`. */
export function ruleCommand(rule: UfwRule, del: boolean): Command {
  const words: string[] = [];
  if (rule.route) words.push("route");
  if (del) words.push("delete");
  words.push(rule.action, rule.direction);
  if (!rule.route && rule.direction === "in" && rule.interfaceIn !== "any") words.push("on", rule.interfaceIn);
  if (!rule.route && rule.direction === "out" && rule.interfaceOut !== "any") words.push("on", rule.interfaceOut);
  if (rule.route && rule.interfaceIn !== "any") words.push("on", rule.interfaceIn);
  if (rule.route && rule.interfaceOut !== "any") words.push("out", "on", rule.interfaceOut);
  // A logged rule is named with its log type (an extra rule deleted from an exclusive set can have one).
  if (rule.log !== "") words.push(rule.log);
  words.push("from", rule.from);
  if (rule.fromPort !== "any") words.push("port", rule.fromPort);
  words.push("to", rule.to);
  if (rule.toApp !== "") words.push("app", rule.toApp);
  else if (rule.toPort !== "any") words.push("port", rule.toPort);
  if (rule.proto !== "any") words.push("proto", rule.proto);
  if (!del && rule.comment !== "") words.push("comment", rule.comment);
  return sh`ufw ${words}`;
}

/** ufw (with Debian's IPV6=yes) stores a rule for each address family its addresses fit. */
export function families(rule: UfwRule): UfwRule[] {
  const addresses = [rule.from, rule.to].filter((a) => a !== "any");
  const v6 = addresses.some((a) => a.includes(":"));
  const v4 = addresses.some((a) => !a.includes(":"));
  return [...(v6 ? [] : [{ ...rule, ipv6: false }]), ...(v4 ? [] : [{ ...rule, ipv6: true }])];
}
