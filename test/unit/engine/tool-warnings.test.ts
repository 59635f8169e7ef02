import { test } from "node:test";
import assert from "node:assert/strict";
import { toolWarnings } from "../../../engine/tool-warnings.js";

void test("nginx -t's [warn] lines, without the error log's time and pid; its ok lines are no warning", () => {
  // nginx 1.26 on Debian 13, for a vhost with the older `listen 443 ssl http2;`.
  const stderr = [
    '2026/12/06 08:47:11 [warn] 1710#1710: the "listen ... http2" directive is deprecated, use the "http2" directive instead in /etc/nginx/sites-enabled/rems:15',
    "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok",
    "nginx: configuration file /etc/nginx/nginx.conf test is successful",
    "",
  ].join("\n");
  assert.deepEqual(toolWarnings(stderr), ['nginx: [warn] the "listen ... http2" directive is deprecated, use the "http2" directive instead in /etc/nginx/sites-enabled/rems:15']);
  assert.deepEqual(toolWarnings('nginx: [warn] conflicting server name "lab1" on 0.0.0.0:80, ignored\n'), ['nginx: [warn] conflicting server name "lab1" on 0.0.0.0:80, ignored']);
});

void test("apt's W:, dpkg's warning:, systemd-analyze's unit lines, systemctl's Warning: and the common warning: prefix", () => {
  const stderr = [
    "debconf: delaying package configuration, since apt-utils is not installed",
    "W: --force-yes is deprecated, use one of the options starting with --allow instead.",
    "dpkg: warning: unable to delete old directory '/etc/x': Directory not empty",
    "/etc/systemd/system/rems.service:9: Unknown key name 'Restartt' in section 'Service', ignoring.",
    "WARNING: Running pip as the 'root' user can result in broken permissions",
    "Warning: The unit file, source configuration file or drop-ins of rems.service changed on disk. Run 'systemctl daemon-reload' to reload units.",
    "E: not a warning",
    "this line mentions a warning: but is not one",
  ].join("\n");
  assert.deepEqual(toolWarnings(stderr), [
    "W: --force-yes is deprecated, use one of the options starting with --allow instead.",
    "dpkg: warning: unable to delete old directory '/etc/x': Directory not empty",
    "/etc/systemd/system/rems.service:9: Unknown key name 'Restartt' in section 'Service', ignoring.",
    "WARNING: Running pip as the 'root' user can result in broken permissions",
    "Warning: The unit file, source configuration file or drop-ins of rems.service changed on disk. Run 'systemctl daemon-reload' to reload units.",
  ]);
  assert.deepEqual(toolWarnings(""), []);
});
