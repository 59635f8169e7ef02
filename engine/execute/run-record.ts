/**
 * The record each normal run leaves on a host (/var/lib/rems-play/state.json): when it ran, from which playbook
 * and commit, and per task a fingerprint of the wanted state. An audit compares against it to tell drift (the
 * host changed although the wanted state did not) from a pending change (the wanted state changed since).
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { sh } from "../command.js";
import type { LastApplied } from "../events.js";
import { defineFact } from "../facts.js";

export const RECORD_DIR = "/var/lib/rems-play";
export const RECORD_FILE = `${RECORD_DIR}/state.json`;

export interface RunRecord extends LastApplied {
  /** Task key ("play / role : task [item]") → fingerprint of the wanted state last applied. */
  tasks: Record<string, string>;
  /**
   * Play name → handlers notified by a changed task that had not run when the run stopped (interrupted, a
   * connection lost, a later failure): the next run runs them first, an audit reports them as pending.
   */
  pendingHandlers?: Record<string, string[]>;
}

export const runRecordFact = defineFact<RunRecord | undefined, Record<string, never>>({
  name: "run_record",
  command: () => sh`cat ${RECORD_FILE}`,
  parse: ({ stdout, code }) => {
    if (code !== 0 || stdout.trim() === "") return undefined;
    try {
      const record = JSON.parse(stdout) as RunRecord;
      return typeof record.at === "string" && typeof record.tasks === "object" ? record : undefined;
    } catch {
      return undefined; // a damaged record counts as none: every change is then reported as pending
    }
  },
});

/** Writes the record atomically (temporary file + rename), readable by root only. */
export function writeRecordCommand(): ReturnType<typeof sh> {
  return sh`umask 077 && { [ -d ${RECORD_DIR} ] || mkdir -p ${RECORD_DIR}; } && t=$(mktemp ${RECORD_DIR}/.state-XXXXXX) && cat > "$t" && mv -f "$t" ${RECORD_FILE}`;
}

/**
 * Fingerprint of a task's wanted state: its module, its rendered arguments, the controller files it reads and
 * the texts it rendered from templates (which depend on variables that are not arguments).
 */
export function fingerprint(action: string, args: unknown, sources: readonly string[], rendered: readonly string[]): string {
  const hash = createHash("sha256");
  hash.update(action).update("\0").update(JSON.stringify(args));
  for (const text of rendered) hash.update("\0").update(text);
  for (const source of [...new Set(sources)].sort()) {
    hash.update("\0").update(source).update("\0");
    hashPath(hash, source);
  }
  return hash.digest("hex").slice(0, 32);
}

function hashPath(hash: ReturnType<typeof createHash>, path: string): void {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return;
  if (stat.isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      hash.update(name).update("/");
      hashPath(hash, join(path, name));
    }
  } else if (stat.isFile()) {
    hash.update(String(stat.mode & 0o7777)).update(readFileSync(path));
  }
}
