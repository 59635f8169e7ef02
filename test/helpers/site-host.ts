/**
 * The one lab host the site e2e tests deploy to (test/e2e/roles/site*.test.ts), and what they ask of a run: it
 * succeeded, which tasks (not handlers) changed, and a GET through the host's own nginx.
 */
import assert from "node:assert/strict";
import type { TestContext } from "node:test";
import { rootShell, type Lab, type SharedLab } from "./lab.js";
import { runRemsPlay, total, type RemsPlayRun } from "./rems-play.js";

export interface SiteHost {
  lab: Lab;
  name: string;
  address: string;
  /** stdout of COMMAND run as root on the host; fails the test when it exits non-zero. */
  sh(command: string): Promise<string>;
  /** Runs a playbook against the host. */
  play(playbook: string, ...extra: string[]): Promise<RemsPlayRun>;
}

/** The first host of LAB, booted on first use; undefined when the test T was skipped. */
export async function siteHost(lab: SharedLab, t: TestContext): Promise<SiteHost | undefined> {
  const booted = await lab.use(t);
  if (!booted) return undefined;
  const first = booted.hosts[0];
  assert.ok(first, "the lab booted a host");
  return {
    lab: booted,
    name: first.name,
    address: first.address,
    sh: rootShell(booted, first.name),
    play: (playbook, ...extra) => runRemsPlay([playbook, "-i", booted.inventoryPath, ...extra]),
  };
}

export function succeeded(run: RemsPlayRun): void {
  const failed = run.results.filter((r) => r.status === "failed" || r.status === "unreachable");
  assert.equal(run.exitCode, 0, `${run.stderr}\n${JSON.stringify(failed, null, 1)}`);
}

/** Names of the tasks (not handlers) that reported a change, in run order. */
export function changedTasks(run: RemsPlayRun): string[] {
  let inHandler = false;
  const names: string[] = [];
  for (const event of run.events) {
    if (event.type === "task_start") inHandler = event.handler;
    if (event.type === "task_result" && event.status === "changed" && !inHandler) names.push(event.task);
  }
  return names;
}

/** GET through the host's own nginx with the real server name, from the host itself: "CODE BODY". */
export function curlVia(server: string, path: string): string {
  return `curl --silent --insecure --max-time 10 --resolve ${server}:443:127.0.0.1 --write-out ' %{http_code}' https://${server}${path}`;
}

/** On a converged host: a second run of PLAYBOOK, then --check, each succeeds and changes nothing; both runs. */
export async function assertConverged(host: SiteHost, playbook: string): Promise<{ rerun: RemsPlayRun; check: RemsPlayRun }> {
  const rerun = await host.play(playbook);
  succeeded(rerun);
  assert.deepEqual(changedTasks(rerun), []);
  assert.equal(total(rerun.recap, "changed"), 0);
  const check = await host.play(playbook, "--check");
  succeeded(check);
  assert.deepEqual(changedTasks(check), []);
  assert.equal(total(check.recap, "changed"), 0);
  return { rerun, check };
}
