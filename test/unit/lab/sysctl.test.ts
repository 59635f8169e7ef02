import { test } from "node:test";
import assert from "node:assert/strict";
import { sysctlRaises } from "../../../lab/sysctl.js";

void test("only values below what the lab needs are raised, to exactly that", () => {
  const needed = { "/proc/sys/a": 1, "/proc/sys/b": 4096, "/proc/sys/c": 10 };
  assert.deepEqual(sysctlRaises({ "/proc/sys/a": "0", "/proc/sys/b": "8192", "/proc/sys/c": "10" }, needed), { "/proc/sys/a": "1" });
  assert.deepEqual(sysctlRaises({ "/proc/sys/a": "1", "/proc/sys/b": "128", "/proc/sys/c": "9" }, needed), { "/proc/sys/b": "4096", "/proc/sys/c": "10" });
});
