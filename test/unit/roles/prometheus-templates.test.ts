/**
 * The prometheus and node_exporter roles' templates rendered by the engine's template layer must equal the golden
 * files, which ansible-playbook 2.14 rendered (template module, connection local) from the same role defaults and
 * vars and the same case: an inventory of three groups (a host with ansible_host, one with
 * prometheus_target_address, one with neither, one with an IPv6 address), a job of a group the inventory does not have, an alertmanager, a
 * retention size, a password and certificate paths with quotes, a backslash, a dollar and a space. So the scrape
 * configuration built from the groups, and the quoting of each file, are Ansible's byte for byte.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { renderFile } from "../../../engine/template/render.js";
import { repoRoot } from "../../helpers/rems-play.js";

type Vars = Record<string, unknown>;

function yamlVars(relativePath: string): Vars {
  return parse(readFileSync(join(repoRoot, relativePath), "utf8"), { version: "1.1" }) as Vars;
}

const hostvars: Record<string, Vars> = {
  mon1: { inventory_hostname: "mon1", ansible_host: "10.0.0.1" },
  db1: { inventory_hostname: "db1", ansible_host: "10.0.0.2", prometheus_target_address: "db1.internal" },
  web1: { inventory_hostname: "web1" },
  app1: { inventory_hostname: "app1", ansible_host: "fd00::4" },
};

/** The case the golden files were rendered with (vars_files in this order, as the rendering playbook lists them). */
const vars: Vars = {
  ...yamlVars("roles/prometheus/defaults/main.yml"),
  ...yamlVars("roles/prometheus/vars/main.yml"),
  ...yamlVars("roles/node_exporter/defaults/main.yml"),
  ...yamlVars("roles/node_exporter/vars/main.yml"),
  prometheus_retention_size: "5GB",
  prometheus_alertmanagers: ["10.0.0.9:9093"],
  prometheus_scrape_jobs: [
    { job: "node", group: "all", port: 9100 },
    { job: "postgres", group: "db", port: 9187 },
    { job: "nginx", group: "web", port: 9113, scheme: "https", metrics_path: "/nginx-metrics" },
    { job: "absent", group: "no_such_group", port: 1 },
  ],
  node_exporter_postgres: true,
  node_exporter_postgres_password: "p\"a\\s$'x",
  node_exporter_certificates: ["/etc/ssl/a.crt", '/etc/ssl/with space/b"c.crt'],
  inventory_hostname: "mon1",
  ansible_host: "10.0.0.1",
  groups: { all: ["mon1", "db1", "web1", "app1"], ungrouped: [], monitoring: ["mon1"], db: ["db1"], web: ["web1", "app1"] },
  hostvars,
};

function render(role: string, template: string, extra: Vars = {}): string {
  const path = join(repoRoot, "roles", role, "templates", template);
  return renderFile(readFileSync(path, "utf8"), path, { ...vars, ...extra }, { file: path });
}

function golden(name: string): string {
  return readFileSync(join(repoRoot, "test/unit/roles/golden", `${name}.expected`), "utf8");
}

const cases: [role: string, template: string, goldenName: string, extra?: Vars][] = [
  ["prometheus", "prometheus.yml.j2", "prometheus-prometheus.yml"],
  ["prometheus", "alert-rules.yml.j2", "prometheus-alert-rules.yml"],
  ["prometheus", "default.j2", "prometheus-default"],
  ["node_exporter", "environment.j2", "node_exporter-environment", { item: "prometheus-postgres-exporter" }],
  ["node_exporter", "certificate-expiry.sh.j2", "node_exporter-certificate-expiry.sh"],
  ["node_exporter", "stub-status.conf.j2", "node_exporter-stub-status.conf"],
];

for (const [role, template, goldenName, extra] of cases) {
  test(`roles/${role}/templates/${template} renders as Ansible renders it`, () => {
    assert.equal(render(role, template, extra), golden(goldenName));
  });
}

test("each scrape job's targets are its group's hosts at prometheus_target_address, else ansible_host (IPv6 in brackets), else the name", () => {
  const config = parse(render("prometheus", "prometheus.yml.j2")) as { scrape_configs: { job_name: string; static_configs: { targets: string[]; labels: { host: string } }[] }[] };
  const targets = Object.fromEntries(config.scrape_configs.map((job) => [job.job_name, job.static_configs.map((c) => `${c.labels.host}=${c.targets.join(",")}`)]));
  assert.deepEqual(targets, {
    prometheus: ["mon1=127.0.0.1:9090"],
    node: ["mon1=10.0.0.1:9100", "db1=db1.internal:9100", "web1=web1:9100", "app1=[fd00::4]:9100"],
    postgres: ["db1=db1.internal:9187"],
    nginx: ["web1=web1:9113", "app1=[fd00::4]:9113"],
    absent: [],
  });
});
