/**
 * A host's variables for each task of a play, all precedence layers merged (vars.ts); secrets set through
 * templates among them are masked from the first merge that holds them. Merges are shared while nothing they
 * depend on changed, which is most tasks: the next task of a role with no vars of its own takes the same object.
 */
import type { SecretRegistry } from "../mask.js";
import { isSecretName } from "../mask.js";
import { isTemplated, renderValue } from "../template/render.js";
import type { Play, RoleContext, Vars } from "../types.js";
import { CONTROLLER, type Controller } from "../template/lookups/controller.js";
import type { Vault } from "../vault/vault.js";
import type { HostRun } from "./host-run.js";
import type { ResolvedTask } from "./resolve.js";
import { mergeLayers, ownLayers, roleLayers } from "./vars.js";

export interface VarSources {
  play: Play;
  extraVars: Vars;
  secrets: SecretRegistry;
  /** Decrypts vault-encrypted controller files (copy and template sources, the file and template lookups). */
  vault: Vault;
  inventoryVars: (host: string) => Vars;
  magic: (host: HostRun) => Vars;
}

export class HostVars {
  /** Secret-named variables already rendered and masked on this host. */
  private readonly maskedSecrets = new Set<string>();
  /** Variable layers 1-5 merged, by role (none: play-level tasks): the same for all of a role's tasks here. */
  private readonly roleVars = new Map<RoleContext | undefined, Vars>();
  /** What the lookups of a task need from the run, by the task's role and task file directory. */
  private readonly controllers = new Map<RoleContext | undefined, Map<string, Controller>>();
  /** The last variables merged, and the parts they were merged from. */
  private lastMerge: { parts: readonly unknown[]; vars: Vars } | undefined;

  constructor(
    private readonly sources: VarSources,
    private readonly host: HostRun,
  ) {}

  /** The task's variables: all layers merged. Variables are never changed once merged. */
  of(resolved: ResolvedTask): Vars {
    const { play, extraVars } = this.sources;
    const role = resolved.task.role;
    let below = this.roleVars.get(role);
    if (!below) {
      below = mergeLayers(roleLayers({ playRoles: play.roles, role, inventoryVars: this.sources.inventoryVars(this.host.name), playVars: play.vars, playVarsFiles: play.varsFiles }));
      // The magic variables of a role's tasks, as Ansible's: where the role is and its name.
      if (role) below = { ...below, role_name: role.name, ansible_role_name: role.name, role_path: role.path };
      this.roleVars.set(role, below);
    }
    const magic = this.sources.magic(this.host);
    const hostFacts = this.host.hostFacts;
    const controller = this.controllerOf(role, resolved.task.dir);
    const parts = [below, magic, hostFacts, controller, ...resolved.scopeVars];
    const last = this.lastMerge;
    if (last && last.parts.length === parts.length && last.parts.every((part, i) => part === parts[i])) return last.vars;
    const vars = mergeLayers(ownLayers({ scopeVars: resolved.scopeVars, hostFacts, extraVars, magic }), below);
    (vars as Record<symbol, unknown>)[CONTROLLER] = controller;
    this.lastMerge = { parts, vars };
    this.maskTemplatedSecrets(vars);
    return vars;
  }

  private controllerOf(role: RoleContext | undefined, taskDir: string): Controller {
    let byDir = this.controllers.get(role);
    if (!byDir) {
      byDir = new Map();
      this.controllers.set(role, byDir);
    }
    let controller = byDir.get(taskDir);
    if (!controller) {
      const { vault, secrets, play } = this.sources;
      controller = {
        search: { role, taskDir, playbookDir: play.dir },
        readText: (path) => vault.readText(path).text,
        secret: (value) => secrets.add(value),
        effects: true,
      };
      byDir.set(taskDir, controller);
    }
    return controller;
  }

  /**
   * A secret set through a template (`db_password: "{{ vault.db }}"`) is known only once rendered: render each
   * such variable once per host and mask its value everywhere.
   */
  private maskTemplatedSecrets(vars: Vars): void {
    // Runs on every new merge over every variable (facts included): names first, no entry arrays.
    for (const name in vars) {
      if (this.maskedSecrets.has(name) || !isSecretName(name)) continue;
      const value = vars[name];
      if (typeof value !== "string" || !isTemplated(value)) continue;
      this.maskedSecrets.add(name);
      try {
        this.sources.secrets.add(renderValue(value, vars, {}));
      } catch {
        // not renderable yet (it reads a registered result): the task that renders it fails with the reason
        this.maskedSecrets.delete(name);
      }
    }
  }
}
