/**
 * Issue 18's acceptance on one fresh lab host: playbooks/noctis.yml with inventory/noctis/one-host.yml (the host in
 * web, db and monitoring). It converges; the app answers over HTTPS through nginx with the document's security
 * headers, lists a DICOM study, /health is green; Prometheus reports every target up; a second run and --check
 * --diff change nothing; a backup, a loss and playbooks/noctis-restore.yml bring the data back. Then REMS
 * (playbooks/site.yml) joins the same host: both apps answer through the one nginx by their names, and neither
 * playbook changes anything on a re-run or reports drift in an audit. The tests of this file run in order on one lab
 * host.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test, type TestContext } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { assertBackupLossRestore, assertStackConverged, curlApp, MANAGE, NOCTIS, noctisStack, promTargets, succeededQuietly, type NoctisStack } from "../../helpers/noctis-stack.js";
import { repoRoot, runRemsPlay, total } from "../../helpers/rems-play.js";
import { changedTasks, curlVia, succeeded } from "../../helpers/site-host.js";

const lab = sharedLab("noctis1", 1);
const stack = (t: TestContext): Promise<NoctisStack | undefined> => noctisStack(lab, t, "one-host");
const site = join(repoRoot, "playbooks/site.yml");
/**
 * REMS beside Noctis: the firewall's rule set is the Noctis inventory's (its exporters' ports), so REMS's
 * playbook adds its rules without removing the others (firewall_exclusive false), as roles/firewall/README.md says
 * of two apps on one host.
 */
const REMS_BESIDE = ["-e", "firewall_exclusive=false"];

describe("issue 18: playbooks/noctis.yml on one lab host (web, db and monitoring), then REMS beside it", () => {
  test("converges: HTTPS with HSTS and CSP, a study listed, /health green, every target up", async (t) => {
    const s = await stack(t);
    if (!s) return;
    succeededQuietly(await s.play(NOCTIS));
    await s.sh(s.web, `${MANAGE} sample_dicom && ${MANAGE} import_studies`);
    const home = await s.sh(s.web, curlApp("/"));
    assert.match(home, /^strict-transport-security: max-age=31536000\r$/im);
    assert.match(home, /^content-security-policy: default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'\r$/im);
    assert.match(home, /<td>DOE\^JANE<\/td><td>NOC-0001<\/td>[\s\S]* 200$/);
    assert.match(await s.sh(s.web, curlApp("/health")), /"status": ?"ok", ?"database": ?"ok", ?"redis": ?"ok"[\s\S]* 200$/);
    // Everything on one host talks over loopback: PostgreSQL and Redis listen there only.
    assert.match(await s.sh(s.web, "grep -E '^(PGHOST|REDIS_URL)=' /opt/noctis/.env | sed 's/:[^:@]*@/:SECRET@/'"), /^PGHOST=127\.0\.0\.1\nREDIS_URL=redis:\/\/:SECRET@127\.0\.0\.1:6379\/0\n$/);
    assert.doesNotMatch(await s.sh(s.db, "ss -Htln '( sport = :5432 or sport = :6379 )'"), new RegExp(s.db.address.replaceAll(".", "\\.")));

    const address = s.web.address;
    assert.deepEqual((await promTargets(s)).map((x) => `${x.job} ${x.instance} ${x.health}`), [
      `nginx ${address}:9113 up`,
      `noctis ${address}:443 up`,
      `node ${address}:9100 up`,
      `postgres ${address}:9187 up`,
      "prometheus 127.0.0.1:9090 up",
      `redis ${address}:9121 up`,
    ].sort());
  });

  test("a second run and --check --diff change nothing", async (t) => {
    const s = await stack(t);
    if (!s) return;
    await assertStackConverged(s);
  });

  test("a backup, a loss (the database dropped, the uploads deleted), noctis-restore.yml: the data is back", async (t) => {
    const s = await stack(t);
    if (!s) return;
    await assertBackupLossRestore(s);
  });

  test("REMS joins the host: both apps answer through nginx, and neither playbook changes or reports anything after", async (t) => {
    const s = await stack(t);
    if (!s) return;
    const rems = (...flags: string[]): ReturnType<typeof runRemsPlay> => runRemsPlay([site, "-i", s.lab.inventoryPath, ...REMS_BESIDE, ...flags]);
    succeeded(await rems());
    assert.match(await s.sh(s.web, curlVia(s.web.name, "/health")), /"status":"ok"[\s\S]* 200$/, "REMS answers by its name");
    assert.match(await s.sh(s.web, curlApp("/health")), /"status": ?"ok"[\s\S]* 200$/, "Noctis still answers by its name");

    for (const flags of [[], ["--check", "--diff"]]) {
      const again = await rems(...flags);
      succeeded(again);
      assert.deepEqual(changedTasks(again), [], `REMS ${flags.join(" ")}`);
      assert.equal(total(again.recap, "changed"), 0);
    }
    await assertStackConverged(s);
  });
});
