/** systemd on a lab host: start/enable and stop/disable ladders, a unit an earlier task creates (check vs run), a misspelled argument. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab, type Lab } from "../../helpers/lab.js";
import { writePlaybook } from "../../helpers/rems-play.js";
import { assertMisspelledArgument, ladder, onHost, play, runPlaybook } from "./ladder.js";

const lab = sharedLab("e2e-systemd", 1);
const PROBE = "systemctl is-active rems-e2e.service; systemctl is-enabled rems-e2e.service";
const UNIT = "[Unit]\\nDescription=rems e2e\\n[Service]\\nExecStart=/bin/sleep infinity\\n[Install]\\nWantedBy=multi-user.target\\n";

async function withUnit(t: Parameters<typeof lab.use>[0]): Promise<Lab | undefined> {
  const host = await lab.use(t);
  if (host) await onHost(host, `test -f /etc/systemd/system/rems-e2e.service || { printf '${UNIT}' > /etc/systemd/system/rems-e2e.service && systemctl daemon-reload; }`);
  return host;
}

describe("systemd on a lab host", () => {
  test("starts and enables a unit: check, apply, check, apply", async (t) => {
    const host = await withUnit(t);
    if (!host) return;
    await ladder(host, play("    - name: run rems-e2e\n      systemd: { name: rems-e2e, state: started, enabled: true }\n"), PROBE);
    assert.match(await onHost(host, PROBE), /^exit 0\nactive\nenabled\n$/);
  });

  test("stops and disables it: check, apply, check, apply", async (t) => {
    const host = await withUnit(t);
    if (!host) return;
    await ladder(host, play("    - name: stop rems-e2e\n      systemd: { name: rems-e2e, state: stopped, enabled: false }\n"), PROBE);
    assert.match(await onHost(host, PROBE), /inactive\ndisabled\n$/);
  });

  test("in check mode a unit an earlier task would install is planned with a warning; a real run without it fails", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    const checkRun = await runPlaybook(
      host,
      writePlaybook(
        play(
          `    - name: install the unit\n      copy: { dest: /etc/systemd/system/rems-new.service, content: "${UNIT}" }\n` +
            "    - name: start it\n      systemd: { name: rems-new, state: started, enabled: true, daemon_reload: true }\n",
        ),
      ),
      true,
    );
    assert.equal(checkRun.exitCode, 0, checkRun.stderr + JSON.stringify(checkRun.results));
    const start = checkRun.results.find((r) => r.task === "start it");
    assert.equal(start?.status, "changed");
    assert.deepEqual(start.warnings, ["unit rems-new.service is not installed yet; an earlier task would create it"]);
    assert.match(await onHost(host, "test -e /etc/systemd/system/rems-new.service && echo present || echo absent"), /absent/);

    const realRun = await runPlaybook(host, writePlaybook(play("    - name: start a unit that is not there\n      systemd: { name: rems-missing, state: started }\n")), false);
    assert.equal(realRun.exitCode, 2);
    const failed = realRun.results.find((r) => r.status === "failed");
    assert.deepEqual(failed?.error, { code: "REMS_MODULE", message: "unit rems-missing.service does not exist" });
  });

  test("a misspelled argument is an input error with its location", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await assertMisspelledArgument(host, "systemd", "stat", "state", "started");
  });
});
