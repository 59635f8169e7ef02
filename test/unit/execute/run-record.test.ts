/** The run record's name per playbook and application, and how a record written before that is read. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { recordFile, recordKey, runRecordFact } from "../../../engine/execute/run-record.js";

const record = { at: "2026-12-06T03:00:00.000Z", playbook: "playbooks/site.yml", tasks: { "p / t": "abc" } };

describe("run record", () => {
  test("one record per playbook and application", () => {
    assert.equal(recordKey(["playbooks/site.yml"], "rems", "web1"), "site@rems.web1");
    assert.equal(recordKey(["playbooks/backup-now.yml"], undefined, "web1"), "backup-now.web1");
    assert.equal(recordKey(["a.yml", "b/c.yaml"], "my app/2", "h 1"), "a+c@my_app_2.h_1");
    assert.equal(recordFile("site@rems.web1"), "/var/lib/rems-play/runs/site@rems.web1.json");
  });

  test("the host's own record is read; a legacy one only when the same playbooks left it", () => {
    const args = { key: "site@rems", playbook: "playbooks/site.yml" };
    assert.deepEqual(runRecordFact.parse({ stdout: JSON.stringify(record), code: 0 }, args), record);
    assert.deepEqual(runRecordFact.parse({ stdout: `legacy\n${JSON.stringify(record)}`, code: 0 }, args), record);
    assert.equal(runRecordFact.parse({ stdout: `legacy\n${JSON.stringify(record)}`, code: 0 }, { ...args, playbook: "playbooks/other.yml" }), undefined);
    assert.equal(runRecordFact.parse({ stdout: "legacy\n", code: 1 }, args), undefined);
    assert.equal(runRecordFact.parse({ stdout: "{damaged", code: 0 }, args), undefined);
  });
});
