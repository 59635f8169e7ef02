/** The end-state comparison of the differential tests: what one host has and the other lacks, per part. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { assertSameEndState, endStateDiff, withoutUnits } from "../../helpers/end-state.js";
import type { EndState } from "../../helpers/end-state.js";

const state = (parts: Partial<EndState>): EndState => ({ files: [], packages: [], enabled: [], active: [], listening: [], users: [], groups: [], ...parts });

describe("end-state comparison", () => {
  test("the same lines in every part are the same end state", () => {
    const a = state({ files: ["f 644 root root /etc/a sha256:00"], active: ["nginx.service running"] });
    assert.deepEqual(endStateDiff(a, "a", state({ ...a }), "b"), []);
    assertSameEndState(a, "a", state({ ...a }), "b", "differ");
  });

  test("a difference lists, per part, the lines only one host has (a repeated line counts)", () => {
    const a = state({ files: ["f 644 root root /etc/a sha256:00", "d 755 root root /etc/x"], users: ["u", "u"] });
    const b = state({ files: ["f 600 root root /etc/a sha256:00", "d 755 root root /etc/x"], users: ["u"] });
    assert.deepEqual(endStateDiff(a, "lab1", b, "lab2"), [
      "files:", "  only on lab1: f 644 root root /etc/a sha256:00", "  only on lab2: f 600 root root /etc/a sha256:00",
      "users:", "  only on lab1: u",
    ]);
    assert.throws(() => assertSameEndState(a, "lab1", b, "lab2", "the end states differ"), /^AssertionError.*the end states differ:\nfiles:/s);
  });

  test("units left out are left out of the active units only", () => {
    const a = state({ active: ["systemd-update-utmp.service exited", "nginx.service running"], enabled: ["systemd-update-utmp.service"] });
    assert.deepEqual(withoutUnits(a, new Set(["systemd-update-utmp.service"])), { ...a, active: ["nginx.service running"] });
  });
});
