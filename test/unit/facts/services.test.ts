import assert from "node:assert/strict";
import { test } from "node:test";
import { parseServices, servicesFact } from "../../../modules/facts/services.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(servicesFact);

test("a show answer that does not match the unit files leaves their state unknown rather than misplaced", () => {
  const stdout = "#rems:unit-files\na.service enabled enabled\nb.service static -\n#rems:active-states\nActiveState=active\n";
  assert.deepEqual(parseServices({ stdout, code: 0 }), {
    "a.service": { name: "a.service", state: "unknown", status: "enabled", source: "systemd" },
    "b.service": { name: "b.service", state: "unknown", status: "static", source: "systemd" },
  });
});

test("the probe runs in the C locale, as Ansible's modules do, so systemctl's columns are the English ones", () => {
  assert.match(servicesFact.command({}).text, /^export LC_ALL=C\n/);
});
