import { test } from "node:test";
import assert from "node:assert/strict";
import { demoMessage } from "../../../lab/demo-message.js";
import { demoStack } from "../../../lab/demo-stacks.js";

const outcome = { stack: demoStack("rems"), lab: "demo", hosts: [{ name: "lab1", address: "10.88.5.2" }], inventoryPath: "/var/lib/rems-play-lab/demo/inventory.yml", exitCode: 0 };

void test("after a deploy the demo says how to reach the app, audit it and stop the host", () => {
  const text = demoMessage(outcome);
  assert.match(text, /^REMS is deployed on lab host lab1 \(10\.88\.5\.2\)/);
  assert.match(text, /curl -k https:\/\/10\.88\.5\.2\/\n/);
  assert.match(text, / {2}audit it: {6}dist\/bin\/rems-play\.js playbooks\/site\.yml -i \/var\/lib\/rems-play-lab\/demo\/inventory\.yml --check --diff\n/);
  assert.match(text, /npm run lab -- ssh lab1 --lab demo\n/);
  assert.match(text, /npm run lab -- down --lab demo\n/);
});

void test("after a failed deploy the demo says so, with the exit code, and still says how to stop the host", () => {
  const text = demoMessage({ ...outcome, exitCode: 2 });
  assert.match(text, /^The deploy failed \(rems-play exit code 2\)/);
  assert.match(text, /npm run lab -- down --lab demo\n/);
});

void test("the Noctis stack: three hosts named, its audit with the example's inventory and vault password, where the rest is", () => {
  const hosts = [{ name: "lab1", address: "10.88.1.2" }, { name: "lab2", address: "10.88.2.2" }, { name: "lab3", address: "10.88.3.2" }];
  const text = demoMessage({ ...outcome, stack: demoStack("noctis"), lab: "demo-noctis", hosts, inventoryPath: "/var/lib/rems-play-lab/demo-noctis/inventory.yml" });
  assert.match(text, /^The Noctis stack is deployed on lab hosts lab1 \(10\.88\.1\.2\), lab2 \(10\.88\.2\.2\), lab3 \(10\.88\.3\.2\)/);
  assert.match(text, /playbooks\/noctis\.yml -i \/var\/lib\/rems-play-lab\/demo-noctis\/inventory\.yml -i inventory\/noctis\/three-hosts\.yml --vault-password-file test\/fixtures\/vault\/test-password\.txt --check --diff\n/);
  assert.match(text, /the database is on lab2, Prometheus on lab3/);
  assert.throws(() => demoStack("wordpress"), /unknown stack "wordpress": use rems or noctis/);
});
