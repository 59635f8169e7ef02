import { test } from "node:test";
import assert from "node:assert/strict";
import { mountPoints } from "../../../lab/mounts.js";

void test("mount points come from field 5 of mountinfo, with octal escapes decoded", () => {
  const mountinfo = [
    "22 1 252:0 / / rw,relatime - ext4 /dev/vda rw",
    "46 22 0:39 / /var/lib/rems-play-lab/e2e/hosts/lab1/root rw,relatime - overlay overlay rw",
    "47 22 0:40 / /mnt/with\\040space rw - tmpfs tmpfs rw",
  ].join("\n");
  assert.deepEqual(mountPoints(mountinfo), ["/", "/var/lib/rems-play-lab/e2e/hosts/lab1/root", "/mnt/with space"]);
});
