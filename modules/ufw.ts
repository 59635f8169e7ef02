/**
 * ufw: the firewall's state, default policies, logging and rules, with Ansible's ufw arguments. A rule is
 * compared structurally with ufw's own record of the rule set (the tuples of user.rules/user6.rules), never by
 * text. The module refuses a change that would leave incoming traffic denied with no rule admitting the SSH
 * connection rems-play is using (its port, its source address as the host sees it, the interface it comes in on),
 * unless `allow_lockout: true`.
 */
import { sh, type Command } from "../engine/command.js";
import { ModuleError } from "../engine/errors.js";
import { defineModule, type ModuleContext, type Plan } from "../engine/module-api.js";
import { normalizeAddress, PRISTINE_UFW, ufwStatusFact, type UfwAction, type UfwPolicy, type UfwRule, type UfwStatus } from "./facts/ufw-status.js";
import { refuseLockout } from "./shared/ufw-guard.js";
import { describeRule, families, ruleCommand, sameMatch } from "./shared/ufw-rules.js";

/** The arguments with Ansible's defaults filled in (the engine passes them as written). */
interface Settings {
  state?: "enabled" | "disabled" | "reloaded" | "reset";
  default?: UfwPolicy;
  policy?: UfwPolicy;
  direction?: "in" | "incoming" | "out" | "outgoing" | "routed";
  logging?: "on" | "off" | "low" | "medium" | "high" | "full";
  rule?: UfwAction;
  port?: string;
  to_port?: string;
  proto?: "any" | "tcp" | "udp";
  from_ip: string;
  from_port?: string;
  to_ip: string;
  name?: string;
  interface?: string;
  interface_in?: string;
  interface_out?: string;
  route: boolean;
  delete: boolean;
  comment?: string;
  allow_lockout: boolean;
  rules?: RuleArgs[];
  exclusive: boolean;
}

/** The arguments of one rule, as a task gives them or as an item of `rules`. */
type RuleArgs = Partial<Pick<Settings, "rule" | "port" | "to_port" | "proto" | "from_ip" | "from_port" | "to_ip" | "name" | "interface" | "interface_in" | "interface_out" | "direction" | "route" | "comment">>;

type Defaulted = "from_ip" | "to_ip" | "route" | "delete" | "allow_lockout" | "exclusive";
export type Args = Omit<Settings, Defaulted> & Partial<Pick<Settings, Defaulted>>;

function settings(args: Args): Settings {
  return { ...args, from_ip: args.from_ip ?? "any", to_ip: args.to_ip ?? "any", route: args.route ?? false, delete: args.delete ?? false, allow_lockout: args.allow_lockout ?? false, exclusive: args.exclusive ?? false };
}

/** Ansible accepts two spellings of some arguments; a task uses one. */
function alias<T>(a: T | undefined, b: T | undefined, names: string): T | undefined {
  if (a !== undefined && b !== undefined) throw new ModuleError(`${names} are the same argument: give one`);
  return a ?? b;
}

function wantedRule(args: RuleArgs): UfwRule | undefined {
  if (args.rule === undefined) return undefined;
  const toPort = alias(args.to_port, args.port, "to_port and port");
  if (args.name !== undefined && (toPort !== undefined || args.proto !== undefined)) {
    throw new ModuleError("name (an application profile) brings its own ports and protocol: leave out port and proto");
  }
  const outgoing = args.direction === "out" || args.direction === "outgoing";
  return {
    action: args.rule,
    log: "",
    route: args.route === true || args.direction === "routed",
    direction: outgoing ? "out" : "in",
    interfaceIn: alias(args.interface_in, outgoing ? undefined : args.interface, "interface and interface_in") ?? "any",
    interfaceOut: alias(args.interface_out, outgoing ? args.interface : undefined, "interface and interface_out") ?? "any",
    proto: args.proto ?? "any",
    from: normalizeAddress(args.from_ip ?? "any"),
    fromPort: args.from_port ?? "any",
    to: normalizeAddress(args.to_ip ?? "any"),
    toPort: toPort ?? "any",
    fromApp: "",
    toApp: args.name ?? "",
    comment: args.comment ?? "",
    ipv6: false,
  };
}

async function check(ctx: ModuleContext, args: Settings): Promise<Plan> {
  const policy = alias(args.default, args.policy, "default and policy");
  const rule = wantedRule(args);
  const ruleSet = args.rules?.flatMap((item) => wantedRule(item) ?? []);
  if (args.state === undefined && policy === undefined && args.logging === undefined && rule === undefined && ruleSet === undefined) {
    throw new ModuleError("nothing to do: give state, default (policy), logging, rule or rules");
  }
  if (args.delete && rule === undefined) throw new ModuleError("delete needs the rule to delete");
  if (rule !== undefined && ruleSet !== undefined) throw new ModuleError("give either rule (one rule) or rules (a list of them), not both");
  if (args.exclusive && ruleSet === undefined) throw new ModuleError("exclusive needs rules: the whole rule set, every other rule is deleted");
  let current = await ctx.fact(ufwStatusFact, {});
  const warnings: string[] = [];
  if (!current.installed) {
    if (!ctx.checkMode) throw new ModuleError("ufw is not installed (install it with apt first)");
    warnings.push("ufw is not installed yet; an earlier task would install it");
    // Planned against ufw as installed (its pristine state), and predicted installed so the next ufw task builds
    // on this one's rules rather than on a pristine ufw again.
    current = { ...PRISTINE_UFW, installed: true };
  }
  const after: UfwStatus = { ...current, defaults: { ...current.defaults }, rules: [...current.rules] };
  const commands: Command[] = [];
  const parts: string[] = [];

  if (args.state === "reset") {
    commands.push(sh`ufw --force reset`);
    parts.push("reset the firewall");
    Object.assign(after, { ...PRISTINE_UFW, installed: true });
  }
  if (args.logging !== undefined) {
    const level = args.logging === "on" ? (after.logging === "off" ? "low" : after.logging) : args.logging;
    if (level !== after.logging) {
      commands.push(sh`ufw logging ${args.logging}`);
      parts.push(`set logging to ${level}`);
      after.logging = level;
    }
  }
  if (policy !== undefined) {
    const direction = args.direction === "out" || args.direction === "outgoing" ? "outgoing" : args.direction === "routed" ? "routed" : "incoming";
    if (after.defaults[direction] !== policy) {
      commands.push(sh`ufw default ${policy} ${direction}`);
      parts.push(`${policy} ${direction} by default`);
      after.defaults[direction] = policy;
    }
  }
  if (rule !== undefined && args.delete) {
    if (after.rules.some((r) => sameMatch(r, rule))) {
      commands.push(ruleCommand(rule, true));
      parts.push(`delete rule ${describeRule(rule)}`);
      after.rules = after.rules.filter((r) => !sameMatch(r, rule));
    }
  }
  for (const wanted of rule !== undefined && !args.delete ? [rule] : (ruleSet ?? [])) {
    const matches = after.rules.filter((r) => sameMatch(r, wanted));
    if (!matches.some((r) => r.action === wanted.action && r.comment === wanted.comment)) {
      // ufw updates a rule matching the same traffic in place (new action or comment).
      commands.push(ruleCommand(wanted, false));
      parts.push(matches.length > 0 ? `update rule ${describeRule(wanted)}` : describeRule(wanted));
      after.rules = [...after.rules.filter((r) => !sameMatch(r, wanted)), ...families(wanted)];
    }
  }
  if (args.exclusive && ruleSet !== undefined) {
    // After the wanted rules are in, every other rule goes (the lock-out guard below judges the end state).
    const extras = after.rules.filter((r) => !ruleSet.some((wanted) => sameMatch(r, wanted)));
    // ufw deletes a rule of both address families with one command.
    for (const extra of extras.filter((r, i) => extras.findIndex((other) => sameMatch(other, r)) === i)) {
      commands.push(ruleCommand(extra, true));
      parts.push(`delete rule ${describeRule(extra)} (not in the rule set)`);
    }
    after.rules = after.rules.filter((r) => !extras.includes(r));
  }
  if (args.state === "enabled" && !(after.active && after.enabledAtBoot)) {
    commands.push(sh`ufw --force enable`);
    parts.push("enable the firewall");
    Object.assign(after, { active: true, enabledAtBoot: true });
  }
  if (args.state === "disabled" && (after.active || after.enabledAtBoot)) {
    commands.push(sh`ufw disable`);
    parts.push("disable the firewall");
    Object.assign(after, { active: false, enabledAtBoot: false });
  }
  if (args.state === "reloaded") {
    commands.push(sh`ufw reload`);
    parts.push("reload the firewall");
  }

  if (commands.length > 0 && !args.allow_lockout) await refuseLockout(ctx, current, after, parts.join(", "));
  if (commands.length === 0) return { changed: false, reason: describeState(current, rule, args.delete, ruleSet, args.exclusive) };
  return {
    changed: true,
    summary: parts.join(", "),
    commands,
    ...(warnings.length > 0 ? { warnings } : {}),
    predicts: [{ fact: ufwStatusFact, args: {}, value: after }],
  };
}

function describeState(state: UfwStatus, rule: UfwRule | undefined, deleted: boolean, ruleSet: readonly UfwRule[] | undefined, exclusive: boolean): string {
  const firewall = `the firewall is ${state.active ? "active" : "inactive"} (incoming ${state.defaults.incoming}, outgoing ${state.defaults.outgoing}, logging ${state.logging})`;
  if (ruleSet !== undefined) return `${exclusive ? "the rules are exactly" : "rules exist:"} ${ruleSet.map(describeRule).join(", ") || "(none)"}; ${firewall}`;
  if (rule === undefined) return firewall;
  return `${deleted ? "there is no rule" : "rule exists:"} ${describeRule(rule)}; ${firewall}`;
}

const str = (description: string) => ({ type: "string", minLength: 1, description });

/** The arguments of one rule: a task's own, or those of each item of `rules`. */
const RULE_PROPERTIES = {
  direction: {
    type: "string",
    enum: ["in", "incoming", "out", "outgoing", "routed"],
    description: "With `default`: the traffic the policy is for (default incoming). With `rule`: in (default) or out; `routed` makes a route rule.",
  },
  rule: { type: "string", enum: ["allow", "deny", "reject", "limit"], description: "Add (or with `delete`, remove) a rule with this action. `limit` allows but rate-limits new connections." },
  port: str("Destination port, range (`60000:61000`) or list (`80,443`) of the rule (Ansible's `to_port` is the same)."),
  to_port: str("Same as `port`."),
  proto: { type: "string", enum: ["any", "tcp", "udp"], description: "Protocol of the rule; default any." },
  from_ip: { type: "string", minLength: 1, default: "any", description: "Source address or network of the rule; default any." },
  from_port: str("Source port of the rule."),
  to_ip: { type: "string", minLength: 1, default: "any", description: "Destination address or network of the rule; default any." },
  name: str("Application profile the rule allows (`OpenSSH`, `Nginx Full`; see `ufw app list`), instead of port and proto."),
  interface: str("Network interface of the rule (for incoming rules the input interface, for outgoing ones the output)."),
  interface_in: str("Input interface of the rule (route rules: where traffic comes in)."),
  interface_out: str("Output interface of the rule (route rules: where traffic goes out)."),
  route: { type: "boolean", default: false, description: "Make the rule a route (forwarding) rule." },
  comment: str("Comment stored with the rule (shown by `ufw status`)."),
};

export default defineModule<Args>({
  name: "ufw",
  description: "Manage the ufw firewall: state, default policies, logging and rules",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      state: {
        type: "string",
        enum: ["enabled", "disabled", "reloaded", "reset"],
        description: "`enabled` starts the firewall now and at boot (after this task's rules and policy), `disabled` stops it, `reloaded` reloads it (always a change), `reset` removes every rule and disables it (always a change).",
      },
      default: { type: "string", enum: ["allow", "deny", "reject"], description: "Default policy for `direction` (Ansible's name; `policy` is the same)." },
      policy: { type: "string", enum: ["allow", "deny", "reject"], description: "Same as `default`." },
      logging: { type: "string", enum: ["on", "off", "low", "medium", "high", "full"], description: "Logging level of the firewall (`on` keeps a level already set, else low)." },
      ...RULE_PROPERTIES,
      delete: { type: "boolean", default: false, description: "Remove the rule instead of adding it." },
      allow_lockout: {
        type: "boolean",
        default: false,
        description:
          "rems-play addition: allow a change that denies incoming traffic while no rule admits the SSH connection rems-play is using: its port, its source address as the host sees it and the interface it arrives on (a rule `from_ip` another address, or on another `interface`, does not count; without SSH, the port `ansible_port`, default 22, from anywhere). Without it such a task fails before touching the firewall.",
      },
      rules: {
        type: "array",
        items: { type: "object", additionalProperties: false, required: ["rule"], properties: RULE_PROPERTIES },
        description:
          "rems-play addition: several rules in one task, each with the arguments of a single rule (`rule`, `port`, `proto`, `from_ip`, `name`, `comment` ...). With `exclusive: true` they are the firewall's whole rule set.",
      },
      exclusive: {
        type: "boolean",
        default: false,
        description:
          "rems-play addition, with `rules`: an exclusive set. Every other rule on the host is deleted (a normal run names each one in its change summary; an audit reports it, and `--detailed-exitcode` exits 10 when a rule was added by hand since the last run). A deletion that would cut off the SSH connection rems-play is using is refused like any other change (see `allow_lockout`).",
      },
    },
  },
  examples: [
    '- ufw: { rule: allow, port: "22", proto: tcp }',
    "- ufw: { rule: allow, name: Nginx Full, comment: web }",
    '- ufw: { rule: deny, from_ip: 10.0.0.0/8, port: "5432", proto: tcp }',
    '- ufw: { rule: allow, port: "8080", proto: tcp, delete: true }',
    "- ufw: { default: deny, direction: incoming }",
    "- ufw: { logging: low }",
    "- ufw: { state: enabled }",
    "# An exclusive set: these rules are the firewall's whole rule set. A rule added by hand is drift in an audit\n# (exit 10 with --detailed-exitcode) and deleted by the next run, which names it.\n- ufw:\n    rules:\n      - { rule: allow, port: \"22\", proto: tcp, comment: ssh }\n      - { rule: allow, name: Nginx Full }\n    exclusive: true",
  ],
  capabilities: { diff: false, idempotent: true },
  check: (ctx, args) => check(ctx, settings(args)),
});
