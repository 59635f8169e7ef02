/**
 * The roles' templates rendered by the engine's template layer with the variables site.yml gives them (role
 * defaults, which are REMS's, the app role's vars, a lab host) must equal the golden files in golden/. The
 * golden files were rendered by Jinja2 3.1 with Ansible's settings (trim_blocks, keep_trailing_newline), so these
 * tests also hold the engine to Ansible's output byte for byte. The golden nginx vhost passed `nginx -t` and served
 * the stand-in through nginx 1.22, the golden unit passed `systemd-analyze verify`, the golden logrotate files
 * passed `logrotate -d`, and the golden scripts ran against a real SQLite database (roles/*\/README.md).
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

const roles = ["common", "app", "tls", "nginx", "backup", "firewall", "monitoring"];

/** Variables in site.yml's precedence order: role defaults < inventory < role vars < registered results. */
const siteVars: Vars = {
  ...roles.reduce<Vars>((merged, role) => ({ ...merged, ...yamlVars(`roles/${role}/defaults/main.yml`) }), {}),
  inventory_hostname: "lab1",
  server_name: "rems.lab.internal",
  role_path: join(repoRoot, "roles/app"),
  ...yamlVars("roles/app/vars/main.yml"),
  ...yamlVars("roles/nginx/vars/main.yml"),
  // What package_facts finds on a Debian 12 lab host (the golden vhost's nginx).
  ansible_facts: { packages: { nginx: [{ name: "nginx", version: "1.22.1-9+deb12u2", source: "apt" }] } },
  _app_generated_secret: { content: Buffer.from("0123abcd\n").toString("base64"), encoding: "base64" },
};

function render(role: string, template: string, extra: Vars = {}): string {
  const path = join(repoRoot, "roles", role, "templates", template);
  return renderFile(readFileSync(path, "utf8"), path, { ...siteVars, ...extra }, { file: path });
}

function golden(name: string): string {
  return readFileSync(join(repoRoot, "test/unit/roles/golden", `${name}.expected`), "utf8");
}

const cases: [role: string, template: string, goldenName: string][] = [
  ["app", "app.service.j2", "app-app.service"],
  ["app", "env.j2", "app-env"],
  ["nginx", "vhost.conf.j2", "nginx-vhost.conf"],
  ["backup", "backup.sh.j2", "backup-backup.sh"],
  ["backup", "verify-backup.sh.j2", "backup-verify-backup.sh"],
  ["backup", "logrotate.j2", "backup-logrotate"],
  ["monitoring", "health-check.sh.j2", "monitoring-health-check.sh"],
  ["monitoring", "logrotate.j2", "monitoring-logrotate"],
];

for (const [role, template, goldenName] of cases) {
  test(`roles/${role}/templates/${template} renders as Ansible renders it for REMS`, () => {
    assert.equal(render(role, template), golden(goldenName));
  });
}

test("the systemd unit has no comment after a value (systemd would read it as part of the value)", () => {
  const valueLines = render("app", "app.service.j2")
    .split("\n")
    .filter((line) => line.includes("=") && !line.startsWith("#"));
  assert.ok(valueLines.length > 10);
  for (const line of valueLines) assert.doesNotMatch(line, /#/, line);
});

test("the unit runs gunicorn from the virtualenv in pip mode, with the venv first in PATH", () => {
  const unit = render("app", "app.service.j2", { app_python_deps: "pip" });
  assert.match(unit, /^ExecStart=\/opt\/rems\/venv\/bin\/gunicorn --bind 127\.0\.0\.1:5000 /m);
  assert.match(unit, /^Environment=PATH=\/opt\/rems\/venv\/bin:\/usr\/local\/bin:\/usr\/bin:\/bin$/m);
});

test("the vhost's HTTP/2 follows the nginx package_facts found: http2 on; from 1.25.1, listen ... http2 before or without one", () => {
  const withNginx = (version: string): Vars => ({ ansible_facts: { packages: { nginx: [{ name: "nginx", version, source: "apt" }] } } });
  const listen = (vhost: string): string[] => vhost.split("\n").filter((line) => /^ {4}(listen 443|http2)/.test(line));
  assert.deepEqual(listen(render("nginx", "vhost.conf.j2", withNginx("1.26.3-3+deb13u1"))), ["    listen 443 ssl;", "    http2 on;"]);
  assert.deepEqual(listen(render("nginx", "vhost.conf.j2", withNginx("1.25.1-1"))), ["    listen 443 ssl;", "    http2 on;"]);
  assert.deepEqual(listen(render("nginx", "vhost.conf.j2", withNginx("1.24.0-2ubuntu7"))), ["    listen 443 ssl http2;"]);
  assert.deepEqual(listen(render("nginx", "vhost.conf.j2", withNginx("1:1.18.0-6ubuntu14"))), ["    listen 443 ssl http2;"]);
  assert.deepEqual(listen(render("nginx", "vhost.conf.j2", { ansible_facts: { packages: {} } })), ["    listen 443 ssl http2;"]);
  assert.deepEqual(listen(render("nginx", "vhost.conf.j2", { ansible_facts: {} })), ["    listen 443 ssl http2;"]);
});

test("the vhost repeats every security header in the static location (add_header is not inherited there)", () => {
  const vhost = render("nginx", "vhost.conf.j2");
  const staticBlock = /location \/static\/ \{([^}]*)\}/.exec(vhost)?.[1] ?? "";
  for (const header of ["X-Frame-Options", "X-Content-Type-Options", "X-XSS-Protection", "Strict-Transport-Security"]) {
    assert.match(staticBlock, new RegExp(`add_header ${header} `), header);
  }
});

test("the .env file takes app_secret_key when it is set, else the key generated on the host", () => {
  assert.match(render("app", "env.j2", { app_secret_key: "from-vault" }), /^SECRET_KEY=from-vault$/m);
  assert.match(render("app", "env.j2"), /^SECRET_KEY=0123abcd$/m);
});

test("the backup script puts tar's --exclude options before the archived directory", () => {
  const script = render("backup", "backup.sh.j2", { app_dir: "/srv/samplelog" });
  const tar = /tar -czf[^\n]*(?:\n[^\n]*\\$)*\n[^\n]*/m.exec(script)?.[0] ?? "";
  assert.match(tar, /--exclude=samplelog\/venv[\s\S]*-C \/srv samplelog$/);
});

// Issue 18: a Django app with PostgreSQL (test/fixtures/django-app) renders the same templates with other variables.
test("a Django app's .env names its settings module, and its unit starts after the database and cache", () => {
  assert.match(render("app", "env.j2", { app_django_settings_module: "noctis.settings" }), /^DJANGO_SETTINGS_MODULE=noctis\.settings\nSECRET_KEY=/m);
  assert.doesNotMatch(render("app", "env.j2"), /DJANGO_SETTINGS_MODULE/);
  const unit = render("app", "app.service.j2", { app_unit_after: ["postgresql.service", "redis-server.service"] });
  assert.match(unit, /^After=network\.target postgresql\.service redis-server\.service$/m);
});

test("with PostgreSQL the backup dumps, verifies and restore-tests as postgres through the socket, with no password", () => {
  const pg = { app_db_engine: "postgresql", app_db_name: "noctis", backup_media_dir: "/opt/noctis/instance/media", backup_pg_scratch_db: "noctis_restore_test" };
  const backup = render("backup", "backup.sh.j2", pg);
  assert.match(backup, /^runuser -u postgres -- pg_dump -Fc --dbname="\$DB_NAME" > "\$TARGET\/\$DB_NAME\.dump"$/m);
  assert.match(backup, /^tar -czf "\$TARGET\/media\.tar\.gz" -C \/opt\/noctis\/instance media$/m);
  assert.doesNotMatch(backup, /sqlite3|PGPASSWORD|PGPASSFILE/);
  const verify = render("backup", "verify-backup.sh.j2", pg);
  assert.match(verify, /pg_restore --no-owner --exit-on-error --dbname="\$SCRATCH_DB"/);
  assert.match(verify, /^trap 'pg dropdb --if-exists "\$SCRATCH_DB"/m);
  assert.match(verify, /Media backup verified/);
  assert.doesNotMatch(verify, /sqlite3/);
});

test("every backup leaves its time for node-exporter's textfile collector, renamed into place", () => {
  const script = render("backup", "backup.sh.j2");
  assert.match(script, /^METRICS_DIR=\/var\/lib\/prometheus\/node-exporter\nif \[ -d "\$METRICS_DIR" \]; then$/m);
  assert.match(script, /backup_last_success_timestamp_seconds\{app="%s"\} %s\\n' \\\n {8}rems "\$\(date \+%s\)" > "\$metrics"/);
  assert.match(script, /^ {4}mv -f "\$metrics" "\$METRICS_DIR"\/backup-rems\.prom$/m);
});

test("the health check queries PostgreSQL read-only as postgres, pings Redis with the password in its environment, reads the metrics", () => {
  const script = render("monitoring", "health-check.sh.j2", {
    app_db_engine: "postgresql",
    app_db_name: "noctis",
    monitoring_redis_host: "127.0.0.1",
    monitoring_redis_password: "s3cret",
    monitoring_redis_password_file: "/etc/noctis-health-redis.pass",
    monitoring_metrics_url: "http://127.0.0.1:8000/metrics",
  });
  assert.match(script, /runuser -u postgres -- env PGOPTIONS='-c default_transaction_read_only=on'/);
  assert.match(script, /^export REDISCLI_AUTH="\$\(< \/etc\/noctis-health-redis\.pass\)"$/m);
  assert.match(script, /redis-cli -h 127\.0\.0\.1 -p 6379 ping/);
  assert.doesNotMatch(script, /s3cret/);
  assert.match(script, /http:\/\/127\.0\.0\.1:8000\/metrics 2>&1\) &&\n {4}grep -q '\^# TYPE '/);
});

test("a restricted location proxies its exact path for the allowed addresses only, with the same proxy settings as /", () => {
  const vhost = render("nginx", "vhost.conf.j2", { nginx_restricted_locations: [{ path: "/metrics", allow: ["10.0.0.3", "10.1.0.0/16"] }] });
  const restricted = /\n {4}location = \/metrics \{\n([^}]*)\n {4}\}\n/.exec(vhost)?.[1] ?? "";
  const root = /\n {4}location \/ \{\n([^}]*)\n {4}\}\n/.exec(vhost)?.[1] ?? "";
  assert.equal(restricted, `        allow 10.0.0.3;\n        allow 10.1.0.0/16;\n        deny all;\n${root}`);
  assert.match(root, /^ {8}proxy_pass http:\/\/127\.0\.0\.1:5000;$/m);
});

test("without the database on the host (app_db_local false) the backup holds the archives and the health check no database query", () => {
  const script = render("backup", "backup.sh.j2", { app_db_local: false, app_db_engine: "postgresql", backup_media_dir: "/opt/rems/instance/media" });
  assert.doesNotMatch(script, /pg_dump|sqlite3/);
  assert.match(script, /mkdir -p "\$TARGET"\n[\s\S]*media\.tar\.gz[\s\S]*application\.tar\.gz/);
  assert.doesNotMatch(render("backup", "verify-backup.sh.j2", { app_db_local: false }), /pg_restore|sqlite3/);
  assert.doesNotMatch(render("monitoring", "health-check.sh.j2", { app_db_local: false }), /sqlite3|psql/);
});
