import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { describeService, planService, type ServiceState } from "../../../modules/shared/service-control.js";

const stopped: ServiceState = { exists: true, active: false, unitFileState: "disabled", needDaemonReload: false, canReload: true };
const running: ServiceState = { ...stopped, active: true, unitFileState: "enabled" };

describe("service control planning", () => {
  test("start and enable a stopped, disabled unit: enable first, then start", () => {
    const plan = planService("rems.service", stopped, { state: "started", enabled: true, daemonReload: false });
    assert.deepEqual(plan.actions, ["enable", "start"]);
    assert.deepEqual(plan.after, { ...stopped, active: true, unitFileState: "enabled" });
  });

  test("a running, enabled unit needs nothing", () => {
    assert.deepEqual(planService("rems.service", running, { state: "started", enabled: true, daemonReload: true }).actions, []);
  });

  test("an explicit daemon_reload joins a change and comes first", () => {
    assert.deepEqual(planService("rems.service", stopped, { state: "started", daemonReload: true }).actions, ["daemon-reload", "start"]);
  });

  test("a unit file changed on disk is reloaded first, with a warning, even without daemon_reload", () => {
    const plan = planService("rems.service", { ...running, needDaemonReload: true }, { state: "restarted", daemonReload: false });
    assert.deepEqual(plan.actions, ["daemon-reload", "restart"]);
    assert.deepEqual(plan.warnings, ["the unit file of rems.service changed on disk: reloading systemd first"]);
  });

  test("restarted always restarts", () => {
    assert.deepEqual(planService("nginx.service", running, { state: "restarted", daemonReload: false }).actions, ["restart"]);
  });

  test("reloaded reloads a running unit, starts a stopped one, restarts one that cannot reload", () => {
    assert.deepEqual(planService("nginx.service", running, { state: "reloaded", daemonReload: false }).actions, ["reload"]);
    assert.deepEqual(planService("nginx.service", stopped, { state: "reloaded", daemonReload: false }).actions, ["start"]);
    const noReload = planService("rems.service", { ...running, canReload: false }, { state: "reloaded", daemonReload: false });
    assert.deepEqual(noReload.actions, ["restart"]);
    assert.deepEqual(noReload.warnings, ["rems.service cannot reload: restarting it instead"]);
  });

  test("unmask comes before enable and start; an unmasked unit is disabled until enabled", () => {
    const masked = { ...stopped, unitFileState: "masked" };
    assert.deepEqual(planService("x.service", masked, { state: "started", enabled: true, masked: false, daemonReload: false }).actions, ["unmask", "enable", "start"]);
  });

  test("masking and stopping a running unit", () => {
    const plan = planService("rpcbind.service", running, { state: "stopped", masked: true, daemonReload: false });
    assert.deepEqual(plan.actions, ["mask", "stop"]);
    assert.equal(plan.after.unitFileState, "masked");
  });

  test("a static unit counts as enabled and cannot be disabled: a warning, no action", () => {
    const staticUnit = { ...running, unitFileState: "static" };
    assert.deepEqual(planService("dbus.service", staticUnit, { enabled: true, daemonReload: false }).actions, []);
    const plan = planService("dbus.service", staticUnit, { enabled: false, daemonReload: false });
    assert.deepEqual(plan.actions, []);
    assert.deepEqual(plan.warnings, ["dbus.service is static: it cannot be disabled, only masked"]);
  });

  test("descriptions say what the unit is", () => {
    assert.equal(describeService("nginx.service", running), "nginx.service is active and enabled");
    assert.equal(describeService("rems.service", { ...stopped, exists: false, unitFileState: "" }), "unit rems.service does not exist");
  });
});
