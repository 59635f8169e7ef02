/**
 * Twin lab hosts with PostgreSQL 15 from Debian (and python3-psycopg2, which Ansible's community.postgresql needs
 * on the target), installed once per lab and accepting connections, for the e2e tests of the postgresql_* modules.
 */
import assert from "node:assert/strict";
import type { TestContext } from "node:test";
import { sharedLab, type Lab, type SharedLab } from "./lab.js";

/** `psql` as postgres on the first host, the SQL on stdin. */
export const PSQL = "(cd / && sudo -u postgres psql -X -q -A -t -d postgres)";

export function postgresLab(prefix: string): SharedLab {
  const lab = sharedLab(prefix, 2);
  let installed: Promise<void> | undefined;
  return {
    async use(t: TestContext): Promise<Lab | undefined> {
      const l = await lab.use(t);
      if (!l) return undefined;
      installed ??= (async () => {
        for (const host of l.hosts) {
          const result = await l.ssh(host.name, "DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql python3-psycopg2 sudo >/dev/null && for i in $(seq 60); do pg_isready -q && break; sleep 1; done; pg_isready");
          assert.equal(result.code, 0, result.stderr);
        }
      })();
      await installed;
      return l;
    },
  };
}
