/**
 * The record each normal run leaves on a host: when it ran, from which playbook and commit, and per task a
 * fingerprint of the wanted state. An audit compares against it to tell drift (the host changed although the
 * wanted state did not) from a pending change (the wanted state changed since). For the files a task writes it keeps
 * the lines it left there, hashed, so an audit tells drift from pending hunk by hunk (engine/differences.ts).
 *
 * One record per playbook, application and inventory host (/var/lib/rems-play/runs/<playbook>@<app_name>.<host>.json), so any number of
 * apps and playbooks share a host without reading each other's record as their own.
 */
import { createHash, randomBytes } from "node:crypto";
import { closeSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { sh } from "../command.js";
import { lines } from "../differences.js";
import { attributesPath } from "../diff-types.js";
import type { LastApplied } from "../events.js";
import { defineFact } from "../facts.js";
import type { Prediction } from "../module-api.js";

export const RECORD_DIR = "/var/lib/rems-play";
/** Where the one record of every run was kept before records were per application: read once, when no own record exists. */
const LEGACY_RECORD_FILE = `${RECORD_DIR}/state.json`;

/** The record a run keeps on a host: named after the playbook file and the application it deploys, if any. */
export function recordFile(key: string): string {
  return `${RECORD_DIR}/runs/${key}.json`;
}

/**
 * The key of a record: `site@rems.web1` for playbooks/site.yml deploying app_name rems to inventory host web1;
 * `backup-now.web1` with no app. The inventory host is in it because several inventory hosts can be one machine
 * (local test hosts, aliases), and each keeps its own record, as each has its own lock.
 */
export function recordKey(playbooks: readonly string[], app: string | undefined, host: string): string {
  const name = playbooks.map((playbook) => basename(playbook).replace(/\.ya?ml$/, "")).join("+");
  const safe = (part: string): string => part.replace(/[^A-Za-z0-9.+_-]/g, "_");
  return `${[name, ...(app === undefined ? [] : [app])].map(safe).join("@")}.${safe(host)}`;
}

export interface RecordArgs {
  key: string;
  /** The playbooks as the run names them: a legacy record counts only when it was left by the same ones. */
  playbook: string;
}

export interface RunRecord extends LastApplied {
  /** Task key ("play / role : task [item]") → fingerprint of the wanted state last applied. */
  tasks: Record<string, string>;
  /**
   * Play name → handlers notified by a changed task that had not run when the run stopped (interrupted, a
   * connection lost, a later failure): the next run runs them first, an audit reports them as pending.
   */
  pendingHandlers?: Record<string, string[]>;
  /**
   * Task key → diff path → the lines the task left there (a file's content, its attributes "mode 0600" ...), each
   * hashed with `salt`, separated by spaces: never the text, so a secrets file's lines are not in the record, and
   * 11 bytes a line.
   */
  lines?: Record<string, Record<string, string>>;
  /** The salt of the line hashes, random per host and kept from run to run. */
  salt?: string;
}

/** Files above this size have no lines recorded: their hunks take the task's verdict (a 64 KiB file: ~1,500 lines). */
export const MAX_RECORDED_BYTES = 64 * 1024;

/** A new salt for a record's line hashes. */
export function newSalt(): string {
  return randomBytes(12).toString("base64");
}

/** A line's hash in a record: 40 bits of a salted SHA-256, enough to tell a file's lines apart, too few to keep a secret. */
export function lineHasher(salt: string): (line: string) => string {
  return (line) => createHash("sha256").update(salt).update("\0").update(line).digest("hex").slice(0, 10);
}

/**
 * The lines a change leaves, from what its plan predicts of the host after it (the content and stat of the files it
 * writes), hashed: what an audit compares hunks against. Undefined when the plan predicts no file.
 */
export function linesLeft(predicts: readonly Prediction[], hash: (line: string) => string): Record<string, string> | undefined {
  const left: Record<string, string> = {};
  for (const { fact, args, value } of predicts) {
    const path = (args as { path?: unknown }).path;
    if (typeof path !== "string") continue;
    const known = value as { kind?: string; content?: string; exists?: boolean; mode?: string; owner?: string; group?: string };
    if (fact.name === "file_content" && known.kind === "text" && typeof known.content === "string" && Buffer.byteLength(known.content) <= MAX_RECORDED_BYTES) {
      left[path] = lines(known.content).map(hash).join(" ");
    }
    if (fact.name === "file_stat" && (args as { follow?: unknown }).follow === false && known.exists === true) {
      left[attributesPath(path)] = [`mode ${String(known.mode)}`, `owner ${String(known.owner)}`, `group ${String(known.group)}`].map(hash).join(" ");
    }
  }
  return Object.keys(left).length > 0 ? left : undefined;
}

export const runRecordFact = defineFact<RunRecord | undefined, RecordArgs>({
  name: "run_record",
  command: ({ key }) => sh`cat ${recordFile(key)} 2>/dev/null || { echo legacy && cat ${LEGACY_RECORD_FILE}; }`,
  parse: ({ stdout, code }, { playbook }) => {
    if (code !== 0 || stdout.trim() === "") return undefined;
    const legacy = stdout.startsWith("legacy\n");
    try {
      const record = JSON.parse(legacy ? stdout.slice("legacy\n".length) : stdout) as RunRecord;
      if (typeof record.at !== "string" || typeof record.tasks !== "object") return undefined;
      return legacy && record.playbook !== playbook ? undefined : record;
    } catch {
      return undefined; // a damaged record counts as none: every change is then reported as pending
    }
  },
});

/** Writes the record atomically (temporary file + rename), readable by root only. */
export function writeRecordCommand(key: string): ReturnType<typeof sh> {
  const dir = `${RECORD_DIR}/runs`;
  return sh`umask 077 && { [ -d ${dir} ] || mkdir -p ${dir}; } && t=$(mktemp ${dir}/.record-XXXXXX) && cat > "$t" && mv -f "$t" ${recordFile(key)}`;
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
    hash.update(String(stat.mode & 0o7777));
    hashFileBytes(hash, path);
  }
}

/** Adds a file's bytes a chunk at a time: a big copied file is never held whole (issue 16 item 6). */
function hashFileBytes(hash: ReturnType<typeof createHash>, path: string): void {
  const fd = openSync(path, "r");
  try {
    const chunk = Buffer.alloc(1024 * 1024);
    for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) hash.update(chunk.subarray(0, read));
  } finally {
    closeSync(fd);
  }
}
