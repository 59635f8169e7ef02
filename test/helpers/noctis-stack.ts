/**
 * The Noctis stack of playbooks/noctis.yml on lab hosts, as inventory/noctis/ describes it: the lab's own inventory
 * (addresses) first, then one of the example shapes (one-host.yml, three-hosts.yml: the groups) with the example's
 * group_vars beside it, and the example's vault password. What the e2e tests of both shapes ask of the stack.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { parseDocument } from "yaml";
import { open } from "../../engine/vault/crypto.js";
import { parseEnvelope } from "../../engine/vault/format.js";
import { rootShell, type Lab, type LabHost, type SharedLab } from "./lab.js";
import { repoRoot, runRemsPlay, total, type RemsPlayRun } from "./rems-play.js";
import { changedTasks, succeeded } from "./site-host.js";

export const NOCTIS = join(repoRoot, "playbooks/noctis.yml");
export const NOCTIS_RESTORE = join(repoRoot, "playbooks/noctis-restore.yml");
export const SERVER = "noctis.lab.internal";
const EXAMPLE = join(repoRoot, "inventory/noctis");
const PASSWORD_FILE = join(repoRoot, "test/fixtures/vault/test-password.txt");
/** The app's management commands as the app's user with its environment (apps/noctis-standin/README.md). */
export const MANAGE = "systemd-run --quiet --wait --pipe --collect --uid=noctis --gid=noctis --working-directory=/opt/noctis --property=EnvironmentFile=/opt/noctis/.env /usr/bin/python3 manage.py";

export interface NoctisStack {
  lab: Lab;
  web: LabHost;
  db: LabHost;
  monitoring: LabHost;
  /** stdout of COMMAND as root on HOST; a non-zero exit fails the test. */
  sh(host: LabHost, command: string): Promise<string>;
  /** Runs PLAYBOOK on the stack's inventory with the example's vault password. */
  play(playbook: string, ...extra: string[]): Promise<RemsPlayRun>;
}

/** The stack on LAB's hosts in SHAPE: one host in every group, or lab1 web, lab2 db, lab3 monitoring. */
export async function noctisStack(lab: SharedLab, t: TestContext, shape: "one-host" | "three-hosts"): Promise<NoctisStack | undefined> {
  const l = await lab.use(t);
  if (!l) return undefined;
  const [web, second, third] = l.hosts;
  assert.ok(web, "the lab booted its hosts");
  const [db, monitoring] = shape === "one-host" ? [web, web] : [second, third];
  assert.ok(db && monitoring, "the lab booted three hosts");
  const inventory = ["-i", l.inventoryPath, "-i", join(EXAMPLE, `${shape}.yml`), "--vault-password-file", PASSWORD_FILE];
  return {
    lab: l,
    web,
    db,
    monitoring,
    sh: (host, command) => rootShell(l, host.name)(command),
    play: (playbook, ...extra) => runRemsPlay([playbook, ...inventory, ...extra]),
  };
}

let secrets: string[] | undefined;

/** The example's secrets in plain text (its vault.yml, opened once with the public test password): none may be shown. */
export function exampleSecrets(): string[] {
  secrets ??= openExampleSecrets();
  return secrets;
}

function openExampleSecrets(): string[] {
  const password = Buffer.from(readFileSync(PASSWORD_FILE, "utf8").trim());
  const document = parseDocument(readFileSync(join(EXAMPLE, "group_vars/noctis/vault.yml"), "utf8"), {
    customTags: [{ tag: "!vault", resolve: (text: string) => text }],
  });
  const values = document.toJS() as Record<string, string>;
  return Object.entries(values).map(([name, text]) => {
    const plaintext = open(parseEnvelope(text), password);
    assert.ok(plaintext, `the test password opens ${name}`);
    return plaintext.toString("utf8");
  });
}

/** RUN succeeded and showed none of the example's secrets. */
export function succeededQuietly(run: RemsPlayRun): void {
  succeeded(run);
  for (const secret of exampleSecrets()) assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), "a secret is in rems-play's output");
}

/** A second run of noctis.yml and an audit (--check --diff) each succeed with nothing changed and nothing unknown. */
export async function assertStackConverged(stack: NoctisStack): Promise<void> {
  for (const flags of [[], ["--check", "--diff"]]) {
    const run = await stack.play(NOCTIS, ...flags);
    succeededQuietly(run);
    assert.deepEqual(changedTasks(run), [], `changed in a run with ${flags.join(" ") || "no flags"}`);
    assert.equal(total(run.recap, "changed"), 0);
    assert.equal(total(run.recap, "unknown"), 0, `unknown in a run with ${flags.join(" ") || "no flags"}`);
  }
}

/** GET through the web host's nginx with the server's name, from the web host itself: headers and body, then the code. */
export function curlApp(path: string): string {
  return `curl --silent --insecure --max-time 10 --include --resolve ${SERVER}:443:127.0.0.1 --write-out ' %{http_code}' https://${SERVER}${path}`;
}

export interface Target {
  job: string;
  instance: string;
  health: string;
}

/** Prometheus's active targets, read from its HTTP API on the monitoring host (port 9090 is closed to others). */
export async function promTargets(stack: NoctisStack): Promise<Target[]> {
  const body = await stack.sh(stack.monitoring, "curl --silent --fail --max-time 10 'http://127.0.0.1:9090/api/v1/targets?state=active'");
  const parsed = JSON.parse(body) as { data: { activeTargets: { labels: Record<string, string>; health: string }[] } };
  return parsed.data.activeTargets
    .map((x) => ({ job: x.labels["job"] ?? "", instance: x.labels["instance"] ?? "", health: x.health }))
    .sort((a, b) => `${a.job} ${a.instance}`.localeCompare(`${b.job} ${b.instance}`));
}

/**
 * Studies in the app (the stand-in's sample DICOM files, imported), a backup on each host (the cron job's script),
 * then a loss (the database dropped, the uploads deleted), playbooks/noctis-restore.yml, and the data back: the
 * three studies listed through nginx, their files in the uploads, /health green.
 */
export async function assertBackupLossRestore(stack: NoctisStack): Promise<void> {
  const { web, db } = stack;
  await stack.sh(web, `${MANAGE} sample_dicom && ${MANAGE} import_studies`);
  assert.equal((await stack.sh(web, curlApp("/"))).match(/NOC-000\d/g)?.length, 3, "three studies listed before the loss");
  const hosts = web === db ? [web] : [db, web];
  for (const host of hosts) await stack.sh(host, "/opt/backups/noctis-backup.sh && /opt/backups/noctis-verify-backup.sh");

  await stack.sh(db, "cd / && runuser -u postgres -- psql -X -q -c 'DROP DATABASE noctis WITH (FORCE)'");
  await stack.sh(web, "rm -rf /opt/noctis/instance/media");
  assert.match(await stack.sh(web, "curl --silent --max-time 10 --write-out ' %{http_code}' http://127.0.0.1:8000/health"), / 503$/, "the loss is seen");

  const restore = await stack.play(NOCTIS_RESTORE);
  succeededQuietly(restore);
  assert.match(await stack.sh(web, curlApp("/health")), /"database": ?"ok"[\s\S]*"redis": ?"ok"[\s\S]* 200$/);
  const page = await stack.sh(web, curlApp("/"));
  assert.deepEqual([...new Set(page.match(/NOC-000\d/g))].sort(), ["NOC-0001", "NOC-0002", "NOC-0003"], "the studies are back");
  assert.equal(await stack.sh(web, "ls /opt/noctis/instance/media/dicom"), "sample-cr.dcm\nsample-ct.dcm\nsample-mr.dcm\n");
  assert.match(await stack.sh(web, "stat -c '%U %a' /opt/noctis/instance/media"), /^noctis 750\n$/);
}
