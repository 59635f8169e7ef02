import { test } from "node:test";
import assert from "node:assert/strict";
import { demoMessage } from "../../../lab/demo-message.js";

const outcome = { lab: "demo", host: "lab1", address: "10.88.5.2", inventoryPath: "/var/lib/rems-play-lab/demo/inventory.yml", exitCode: 0 };

void test("after a deploy the demo says how to reach the app, audit it and stop the host", () => {
  const text = demoMessage(outcome);
  assert.match(text, /^REMS is deployed on lab host lab1 \(10\.88\.5\.2\)/);
  assert.match(text, /curl -k https:\/\/10\.88\.5\.2\/\n/);
  assert.match(text, /playbooks\/site\.yml -i \/var\/lib\/rems-play-lab\/demo\/inventory\.yml --check --diff/);
  assert.match(text, /npm run lab -- ssh lab1 --lab demo\n/);
  assert.match(text, /npm run lab -- down --lab demo\n/);
});

void test("after a failed deploy the demo says so, with the exit code, and still says how to stop the host", () => {
  const text = demoMessage({ ...outcome, exitCode: 2 });
  assert.match(text, /^The deploy failed \(rems-play exit code 2\)/);
  assert.match(text, /npm run lab -- down --lab demo\n/);
});
