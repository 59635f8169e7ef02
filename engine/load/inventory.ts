/**
 * Inventories (YAML or INI, files or directories of files) with group_vars/ and host_vars/ beside them and
 * beside the playbook. Variables are layered in Ansible's precedence order (docs "Understanding variable
 * precedence", levels 3–10); hostVarLayers() exposes the layers so errors can point at the file that set a value.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, extname, join, resolve } from "node:path";
import { InputErrors, InputFileError, InventoryError, VaultError } from "../errors.js";
import type { RemsError, SourceLocation } from "../errors.js";
import { INVENTORY_SCHEMA } from "../schema/inventory.js";
import { validate } from "../schema/validate.js";
import { copyKeyLocation, locationOf, recordContainer } from "../source/locations.js";
import { parseYaml } from "../source/yaml.js";
import type { InventoryGroup, InventoryHost, Vars } from "../types.js";
import type { Vault } from "../vault/vault.js";
import { selectHosts } from "./host-pattern.js";
import { hostListSource, isHostList } from "./inventory-host-list.js";
import { parseIni } from "./inventory-ini.js";
import { shownPath } from "./paths.js";
import type { VarLayer } from "./role-vars.js";
import { findVarsFiles, isMapping, loadVarsFile } from "./vars-files.js";

interface GroupModel {
  name: string;
  /** Variables written in inventory files for this group, one layer per file. */
  vars: VarLayer[];
  children: Set<string>;
  parents: Set<string>;
  hosts: string[];
}

interface HostModel {
  name: string;
  vars: VarLayer[];
}

const LOCALHOST_NAMES = new Set(["localhost", "127.0.0.1", "::1"]);
const IGNORED = [/^\./, /~$/, /\.(orig|bak|retry|md|txt|cfg|rst)$/];

/** The most hosts one range pattern may hold: far beyond a lab, and cheap to list (web[0:99999999] would not be). */
export const MAX_RANGE_HOSTS = 10_000;

/**
 * `web[01:03]` → web01, web02, web03; `db-[a:c]` → db-a, db-b, db-c; `[1:9:2]` steps. Throws InventoryError (at
 * `loc`) for a range of more than MAX_RANGE_HOSTS hosts, counted before they are made.
 */
export function expandHostRange(name: string, loc?: SourceLocation): string[] {
  const match = /^(.*?)\[([0-9a-z]+):([0-9a-z]+)(?::(\d+))?\](.*)$/.exec(name);
  if (!match) return [name];
  const [, head = "", from = "", to = "", step = "1", tail = ""] = match;
  const by = Math.max(1, Number(step));
  const numeric = /^\d+$/.test(from) && /^\d+$/.test(to);
  const [first, last] = numeric ? [Number(from), Number(to)] : [from.charCodeAt(0), to.charCodeAt(0)];
  const tooMany = (): InventoryError => new InventoryError(`host range '${name}' holds more than ${MAX_RANGE_HOSTS} hosts, the most one range may hold`, { loc });
  if (Math.floor((last - first) / by) + 1 > MAX_RANGE_HOSTS) throw tooMany();
  const names: string[] = [];
  for (let i = first; i <= last; i += by) {
    const one = head + (numeric ? String(i).padStart(from.length, "0") : String.fromCharCode(i)) + tail;
    // A second range in the name multiplies: counted as the names are made.
    names.push(...expandHostRange(one, loc));
    if (names.length > MAX_RANGE_HOSTS) throw tooMany();
  }
  return names;
}

export class Inventory {
  private readonly groupModels = new Map<string, GroupModel>();
  private readonly hostModels = new Map<string, HostModel>();
  private readonly varsDirs: string[] = [];
  private readonly fileCache = new Map<string, VarLayer[]>();
  /** groupsOf() by host: asked for on every task (variable layers), so not worked out again each time. */
  private readonly groupsCache = new Map<string, readonly string[]>();
  private readonly implicitLocalhost: HostModel = { name: "localhost", vars: [] };

  /** `vault` opens the vault-encrypted files of the inventory and of its group_vars/ and host_vars/. */
  constructor(private readonly vault: Vault) {
    this.link("all", "ungrouped");
    const vars: Vars = { ansible_connection: "local" };
    this.implicitLocalhost.vars.push({ label: "implicit localhost", vars });
  }

  private group(name: string): GroupModel {
    let found = this.groupModels.get(name);
    if (!found) {
      found = { name, vars: [], children: new Set(), parents: new Set(), hosts: [] };
      this.groupModels.set(name, found);
    }
    return found;
  }

  /** Adds one inventory source in the YAML shape ({ group: { hosts, children, vars } }). */
  addSource(data: Record<string, unknown>, label: string): void {
    this.groupsCache.clear();
    for (const [name, body] of Object.entries(data)) {
      this.addGroup(name, body, label);
      if (name !== "all") this.link("all", name);
    }
  }

  /** Adds a directory whose group_vars/ and host_vars/ apply (the inventory's). */
  addVarsDir(dir: string): void {
    const shown = shownPath(dir);
    if (!this.varsDirs.includes(shown)) this.varsDirs.push(shown);
  }

  private link(parent: string, child: string): void {
    if (parent === child) return;
    this.group(parent).children.add(child);
    this.group(child).parents.add(parent);
  }

  private addGroup(name: string, body: unknown, label: string): void {
    const group = this.group(name);
    if (!isMapping(body)) return;
    if (isMapping(body.vars)) group.vars.push({ label: `${label} (group ${name})`, vars: body.vars });
    if (isMapping(body.hosts)) {
      for (const [pattern, vars] of Object.entries(body.hosts)) {
        for (const host of expandHostRange(pattern, locationOf(body.hosts, pattern))) {
          let model = this.hostModels.get(host);
          if (!model) {
            model = { name: host, vars: [] };
            this.hostModels.set(host, model);
          }
          if (!group.hosts.includes(host)) group.hosts.push(host);
          if (isMapping(vars) && Object.keys(vars).length > 0) model.vars.push({ label: `${label} (host ${host})`, vars });
        }
      }
    }
    if (isMapping(body.children)) {
      for (const [child, childBody] of Object.entries(body.children)) {
        this.link(name, child);
        this.addGroup(child, childBody, label);
      }
    }
  }

  /** Longest path from `all` (Ansible sorts group vars by depth, then name). */
  private depth(name: string, seen: ReadonlySet<string> = new Set()): number {
    if (name === "all" || seen.has(name)) return 0;
    const parents = [...(this.groupModels.get(name)?.parents ?? [])];
    const next = new Set([...seen, name]);
    return 1 + Math.max(0, ...parents.map((p) => this.depth(p, next)));
  }

  private byDepth = (a: string, b: string): number => this.depth(a) - this.depth(b) || (a < b ? -1 : a > b ? 1 : 0);

  /** Every group that holds the host directly or through children, including all (and ungrouped). */
  private groupsOf(host: string): readonly string[] {
    let groups = this.groupsCache.get(host);
    if (!groups) {
      groups = this.findGroups(host);
      this.groupsCache.set(host, groups);
    }
    return groups;
  }

  private findGroups(host: string): string[] {
    const found = new Set<string>(["all"]);
    const direct = [...this.groupModels.values()].filter((g) => g.hosts.includes(host)).map((g) => g.name);
    const queue = [...direct];
    while (queue.length > 0) {
      const name = queue.shift() ?? "";
      if (found.has(name)) continue;
      found.add(name);
      queue.push(...(this.groupModels.get(name)?.parents ?? []));
    }
    if (this.hostModels.has(host) && [...found].every((g) => g === "all")) found.add("ungrouped");
    return [...found].sort(this.byDepth);
  }

  private model(name: string): HostModel | undefined {
    return this.hostModels.get(name) ?? (LOCALHOST_NAMES.has(name) && !this.hostModels.has("localhost") ? this.implicitLocalhost : undefined);
  }

  /** Hosts of the inventory, in the order first written (not the implicit localhost). */
  hosts(): InventoryHost[] {
    return [...this.hostModels.keys()].map((name) => this.describe(name));
  }

  /** A host by name; "localhost" resolves to an implicit local host when the inventory has none. */
  host(name: string): InventoryHost | undefined {
    return this.model(name) ? this.describe(name) : undefined;
  }

  groups(): InventoryGroup[] {
    return [...this.groupModels.values()].map((g) => ({
      name: g.name,
      vars: merge(g.vars),
      children: [...g.children],
      hosts: g.name === "ungrouped" ? this.ungrouped() : [...g.hosts],
    }));
  }

  private ungrouped(): string[] {
    return [...this.hostModels.keys()].filter((h) => this.groupsOf(h).includes("ungrouped"));
  }

  /**
   * Hosts matching a pattern (all, *, names, globs, a:b, a:&b, a:!b), intersected with `limit` (--limit) if
   * given. An unknown name throws InventoryError (at `loc`, e.g. the play's location).
   */
  selectHosts(pattern: string, limit?: string, loc?: SourceLocation): string[] {
    return selectHosts(this, pattern, limit, loc);
  }

  private describe(name: string): InventoryHost {
    const model = this.model(name);
    const layers = [...(model?.vars ?? []), ...this.fileLayers("host_vars", name, this.varsDirs)];
    return {
      name,
      vars: merge(layers),
      groups: model === this.implicitLocalhost ? [] : this.groupsOf(name).filter((g) => g !== "all"),
    };
  }

  /** Group and host names (for patterns and suggestions). */
  groupNames(): string[] {
    return [...this.groupModels.keys()];
  }

  hostNames(): string[] {
    return [...this.hostModels.keys()];
  }

  /** Hosts of a group, including those of its children, in inventory order. */
  groupHosts(name: string): string[] {
    if (name === "all") return this.hostNames();
    if (name === "ungrouped") return this.ungrouped();
    const names = new Set<string>();
    const visit = (group: string, seen: Set<string>): void => {
      if (seen.has(group)) return;
      seen.add(group);
      const model = this.groupModels.get(group);
      if (!model) return;
      for (const host of model.hosts) names.add(host);
      for (const child of model.children) visit(child, seen);
    };
    visit(name, new Set());
    return this.hostNames().filter((h) => names.has(h));
  }

  private fileLayers(kind: "group_vars" | "host_vars", name: string, dirs: readonly string[]): VarLayer[] {
    return dirs.flatMap((dir) => {
      const key = `${dir}\0${kind}\0${name}`;
      let layers = this.fileCache.get(key);
      if (!layers) {
        const errors: RemsError[] = [];
        layers = findVarsFiles(join(dir, kind), name).map((file) => ({ label: file, vars: loadVarsFile(file, errors, this.vault) }));
        if (errors.length > 0) throw new InputErrors(errors);
        this.fileCache.set(key, layers);
      }
      return layers;
    });
  }

  /**
   * The variable layers of a host, lowest precedence first (Ansible's levels 3–10): inventory-file group vars,
   * group_vars/all beside the inventory then beside the playbook, the other group_vars/ likewise (parents
   * before children), inventory-file host vars, then host_vars/ beside the inventory and beside the playbook.
   * Each layer's `vars` is the loaded object, so locationOf() points into its file.
   */
  hostVarLayers(name: string, playbookDir?: string): VarLayer[] {
    const model = this.model(name);
    if (!model) throw new InventoryError(`host '${name}' is not in the inventory`);
    const groups = model === this.implicitLocalhost ? ["all"] : this.groupsOf(name);
    const playbookDirs = playbookDir === undefined ? [] : [shownPath(resolve(playbookDir))].filter((d) => !this.varsDirs.includes(d));
    const others = groups.filter((g) => g !== "all");
    return [
      ...groups.flatMap((g) => this.groupModels.get(g)?.vars ?? []),
      ...this.fileLayers("group_vars", "all", this.varsDirs),
      ...this.fileLayers("group_vars", "all", playbookDirs),
      ...others.flatMap((g) => this.fileLayers("group_vars", g, this.varsDirs)),
      ...others.flatMap((g) => this.fileLayers("group_vars", g, playbookDirs)),
      ...model.vars,
      ...this.fileLayers("host_vars", name, this.varsDirs),
      ...this.fileLayers("host_vars", name, playbookDirs),
    ];
  }

  /** The host's inventory variables merged (later layers win). */
  hostVars(name: string, playbookDir?: string): Vars {
    return merge(this.hostVarLayers(name, playbookDir));
  }

  /** Checks that every group_vars/ and host_vars/ file beside the inventory or the playbook reads (all errors). */
  checkVarsFiles(playbookDir?: string): RemsError[] {
    const errors: RemsError[] = [];
    for (const name of [...this.hostModels.keys(), ...(this.hostModels.has("localhost") ? [] : ["localhost"])]) {
      try {
        this.hostVarLayers(name, playbookDir);
      } catch (e) {
        if (e instanceof InputErrors) errors.push(...e.errors.filter((x) => !errors.some((y) => y.describe() === x.describe())));
        else throw e;
      }
    }
    return errors;
  }
}

/** Layers merged into one object (later wins) that keeps each key's source location. */
function merge(layers: readonly VarLayer[]): Vars {
  const merged: Vars = {};
  recordContainer(merged, { file: "inventory", line: 1, col: 1 });
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer.vars)) {
      merged[key] = value;
      copyKeyLocation(layer.vars, key, merged);
    }
  }
  return merged;
}

function inventoryFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .filter((entry) => !IGNORED.some((re) => re.test(entry)) && entry !== "group_vars" && entry !== "host_vars")
    .map((entry) => join(path, entry))
    .filter((file) => statSync(file).isFile());
}

function looksLikeIni(file: string, text: string): boolean {
  const ext = extname(file);
  if (ext === ".ini") return true;
  if ([".yml", ".yaml", ".json"].includes(ext)) return false;
  return /^\s*\[[^\]]+\]\s*$/m.test(text) || !/^[^#\s][^:]*:\s*($|#|\{)/m.test(text);
}

function readSource(file: string, errors: RemsError[], vault: Vault): Record<string, unknown> | undefined {
  let text: string;
  let vaulted: boolean;
  try {
    ({ text, vaulted } = vault.readText(file));
  } catch (error) {
    if (!(error instanceof VaultError) && !(error instanceof InputFileError)) throw error;
    errors.push(error);
    return undefined;
  }
  const data = parseSource(file, text, errors, vault);
  if (vaulted) vault.registerValues(data);
  return data;
}

function parseSource(file: string, text: string, errors: RemsError[], vault: Vault): Record<string, unknown> | undefined {
  if (looksLikeIni(file, text)) return parseIni(text, file, errors);
  const { data, errors: yamlErrors } = parseYaml(text, file, vault);
  errors.push(...yamlErrors);
  if (data === undefined || data === null) return undefined;
  if (!isMapping(data)) {
    errors.push(new InventoryError(`an inventory must be a mapping of groups (all: { hosts, children, vars })`, { loc: (Array.isArray(data) ? locationOf(data) : undefined) ?? { file, line: 1, col: 1 } }));
    return undefined;
  }
  for (const problem of validate(INVENTORY_SCHEMA, data, { noun: "key", fallback: { file, line: 1, col: 1 } })) {
    errors.push(new InventoryError(problem.message, { loc: problem.loc }));
  }
  return data;
}

/**
 * Loads inventory files or directories, or host lists (`web1,web2,`), in order; later sources add to earlier
 * ones. group_vars/ and host_vars/ beside each file or directory are read too. Throws InputErrors with every problem found.
 */
export function loadInventory(paths: readonly string[], vault: Vault): Inventory {
  const inventory = new Inventory(vault);
  const errors: RemsError[] = [];
  for (const path of paths) {
    if (!existsSync(path)) {
      if (isHostList(path)) inventory.addSource(hostListSource(path), `host list '${path}'`);
      else errors.push(new InventoryError(`inventory '${path}' not found`));
      continue;
    }
    inventory.addVarsDir(resolve(statSync(path).isDirectory() ? path : dirname(path)));
    for (const file of inventoryFiles(path)) {
      const data = readSource(file, errors, vault);
      try {
        if (data) inventory.addSource(data, file);
      } catch (error) {
        if (!(error instanceof InventoryError)) throw error;
        errors.push(error);
      }
    }
  }
  if (errors.length === 0) errors.push(...inventory.checkVarsFiles());
  if (errors.length > 0) throw new InputErrors(errors);
  return inventory;
}
