/**
 * apt_repository: Ansible 2.14's one-line APT sources on Debian, without python3-apt. The sources files are read in
 * one probe and changed as Ansible's SourcesList changes them (modules/shared/sources-list.ts): on a change every
 * file is written back in its normal form, the diff shows each changed file, and the cache update that follows
 * (`update_cache`, by default) puts the files back as they were when it fails, as Ansible reverts them.
 */
import { sh, type Command } from "../engine/command.js";
import { CommandFailedError, ModuleError } from "../engine/errors.js";
import type { ApplyResult, ChangePlan, ModuleContext, Plan } from "../engine/module-api.js";
import { defineModule } from "../engine/module-api.js";
import type { FileDiff } from "../engine/diff-types.js";
import { aptSourcesFact, type AptSources } from "./facts/apt-sources.js";
import { modeSchema, type ModeArg } from "./shared/file-mode.js";
import { applyPutFile, planPutFile } from "./shared/put-file.js";
import { addSource, dumpFile, loadSources, parseRepo, removeSource, suggestFilename } from "./shared/sources-list.js";

export interface Args {
  repo: string;
  state?: "present" | "absent";
  mode?: ModeArg;
  update_cache?: boolean;
  update_cache_retries?: number;
  update_cache_retry_max_delay?: number;
  filename?: string;
  install_python_apt?: boolean;
  validate_certs?: boolean;
  codename?: string;
}

/** Handed from check to apply: the writes, the removals and what to put back if the cache update fails. */
interface RepositoryData {
  writes: ChangePlan[];
  removals: string[];
  before: AptSources;
  created: string[];
}

/** apt-get update, tried `retries` times with Ansible's backoff (2^n seconds, at most `maxDelay`) between tries. */
function updateCommand(retries: number, maxDelay: number): Command {
  return sh`n=0; until out=$(DEBIAN_FRONTEND=noninteractive apt-get -q update 2>&1) && ! printf '%s' "$out" | grep -q '^[EW]: Failed to fetch'; do n=$((n+1)); if [ $n -ge ${Math.max(1, retries)} ]; then printf '%s\\n' "$out" >&2; exit 100; fi; d=$((1 << (n-1))); [ $d -le ${maxDelay} ] || d=${maxDelay}; sleep $d; done`;
}

async function check(ctx: ModuleContext, args: Args): Promise<Plan> {
  const state = args.state ?? "present";
  if (args.repo.startsWith("ppa:")) throw new ModuleError("ppa: repositories are Launchpad's (Ubuntu): give the repository's deb line instead");
  const source = parseRepo(args.repo);
  const files = await ctx.fact(aptSourcesFact, {});
  const list = loadSources(files);
  const before = new Map([...list].map(([path, lines]) => [path, dumpFile(lines)]));
  const added = state === "present" ? addSource(list, source, suggestFilename(source, args.filename)) : undefined;
  const after = added?.list ?? removeSource(list, source);
  const dumps = new Map([...after].map(([path, lines]) => [path, dumpFile(lines)]));
  const output = { repo: args.repo, state };
  const changedPaths = [...dumps.keys()].filter((path) => dumps.get(path) !== before.get(path));
  if (changedPaths.length === 0) return { changed: false, reason: `repository '${source}' is ${state === "present" ? "present" : "absent"}`, output };

  // Ansible saves every file on a change: each in its normal form, those with no line left removed.
  const raw = new Map(files.map((file) => [file.path, file.content]));
  const writes: ChangePlan[] = [];
  const removals: string[] = [];
  for (const [path, text] of dumps) {
    if (text === undefined) {
      if (raw.has(path)) removals.push(path);
      continue;
    }
    if (raw.get(path) === text) continue;
    const write = await planPutFile(ctx, { dest: path, content: text, ...(path === added?.appended && args.mode !== undefined ? { mode: args.mode } : {}) });
    if (write.changed === true) writes.push({ ...write, diffs: [] });
  }
  const diffs: FileDiff[] = changedPaths.map((path) => ({
    path,
    before: before.get(path) ?? "",
    after: dumps.get(path) ?? "",
    beforeHeader: before.get(path) === undefined ? "/dev/null" : path,
    afterHeader: dumps.get(path) === undefined ? "/dev/null" : path,
  }));
  const update = args.update_cache ?? true;
  const commands = [...writes.flatMap((w) => w.commands), ...removals.map((path) => sh`rm -f -- ${path}`), ...(update ? [updateCommand(args.update_cache_retries ?? 5, args.update_cache_retry_max_delay ?? 12)] : [])];
  return {
    changed: true,
    summary: `${state === "present" ? "add" : "remove"} repository '${source}' (${changedPaths.join(", ")})${update ? "; update the apt cache" : ""}`,
    commands,
    ...(ctx.diffMode ? { diffs } : {}),
    output,
    // Later tasks of an audit see the files as this change leaves them.
    predicts: [{ fact: aptSourcesFact, args: {}, value: [...dumps].flatMap(([path, text]) => (text === undefined ? [] : [{ path, content: text }])) satisfies AptSources }],
    data: { writes, removals, before: files, created: changedPaths.filter((path) => !raw.has(path)) } satisfies RepositoryData,
  };
}

async function apply(ctx: ModuleContext, args: Args, plan: ChangePlan): Promise<ApplyResult> {
  const data = plan.data as RepositoryData;
  for (const write of data.writes) await applyPutFile(ctx, write);
  for (const path of data.removals) await ctx.run(sh`rm -f -- ${path}`);
  if (args.update_cache ?? true) {
    try {
      await ctx.run(updateCommand(args.update_cache_retries ?? 5, args.update_cache_retry_max_delay ?? 12));
    } catch (error) {
      if (!(error instanceof CommandFailedError)) throw error;
      // Ansible's revert_sources_list: the new files go, the others get their old text back.
      for (const path of data.created) await ctx.run(sh`rm -f -- ${path}`);
      const touched = new Set([...data.writes.map((w) => String(w.output?.dest)), ...data.removals]);
      for (const file of data.before.filter((f) => touched.has(f.path))) await ctx.run(sh`cat > ${file.path}`, { stdin: file.content });
      throw new ModuleError(`Failed to update apt cache: ${error.stderr.trim() || "unknown reason"}`, {}, { cause: error, result: plan.output ?? {} });
    }
  }
  return { changed: true, output: plan.output ?? {} };
}

export default defineModule<Args>({
  name: "apt_repository",
  description: "Add or remove an APT repository line (one-line sources) on Debian",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["repo"],
    properties: {
      repo: { type: "string", minLength: 1, description: "A source line, e.g. `deb [signed-by=/etc/apt/keyrings/x.asc] http://deb.example.org/debian bookworm main`. `ppa:` names are Ubuntu's and are refused." },
      state: { type: "string", enum: ["present", "absent"], default: "present", description: "`present` enables the line wherever it is (commented out or not) or adds it to its own file; `absent` removes every enabled copy of it." },
      mode: { ...modeSchema, description: "Mode of a sources file a line is added to; a new file is 0644 without it. Existing files keep theirs." },
      update_cache: { type: "boolean", default: true, description: "Run `apt-get update` after a change; when it fails the sources files are put back as they were and the task fails." },
      update_cache_retries: { type: "integer", minimum: 0, default: 5, description: "How many times the cache update is tried before the task fails." },
      update_cache_retry_max_delay: { type: "integer", minimum: 0, default: 12, description: "The longest wait, in seconds, between tries of the cache update (the wait doubles from 1 s)." },
      filename: { type: "string", minLength: 1, description: "Name of the file in /etc/apt/sources.list.d for a new line, without `.list`; by default it is named after the repository's host and path (`deb.example.org/debian` → `deb_example_org_debian.list`)." },
      install_python_apt: { type: "boolean", default: true, description: "Accepted for Ansible's playbooks; rems-play does not need python3-apt on the host." },
      validate_certs: { type: "boolean", default: true, description: "Accepted for Ansible's playbooks; only PPA lookups used it, and PPAs are refused." },
      codename: { type: "string", description: "Accepted for Ansible's playbooks; only PPA repositories used it, and PPAs are refused." },
    },
  },
  examples: [
    "- apt_repository: { repo: 'deb [signed-by=/etc/apt/keyrings/pgdg.asc] http://apt.postgresql.org/pub/repos/apt bookworm-pgdg main', filename: pgdg }",
    "- apt_repository: { repo: 'deb http://deb.debian.org/debian bookworm contrib', state: absent, update_cache: false }",
  ],
  capabilities: { diff: true, idempotent: true },
  aliases: { "update-cache": "update_cache" },
  check,
  apply,
});
