/**
 * getent: entries of a getent database on the host (passwd, group, shadow, hosts, services...), as
 * ansible.builtin.getent returns them: `ansible_facts.getent_<database>` maps each entry's first field to the list
 * of its other fields (an entry seen more than once maps to the list of those lists, as since Ansible 2.11). The
 * host is asked through the getent fact, so the lookup travels in the play's one batched probe instead of costing
 * a `shell: getent ... || true` round trip. Read-only: it runs in check mode too and always reports ok.
 *
 * Failures carry Ansible's messages: a key not found fails unless `fail_key: false`, which instead maps the key to
 * null and says why in `msg`.
 */
import { ModuleError } from "../engine/errors.js";
import { defineModule } from "../engine/module-api.js";
import { getentFact, type Getent } from "./facts/getent.js";

export interface GetentArgs {
  database: string;
  key?: string;
  split?: string;
  fail_key?: boolean;
  service?: string;
}

/** Databases whose fields Ansible splits at ":" when no `split` is given; the others at runs of whitespace. */
const COLON_DATABASES = new Set(["passwd", "shadow", "group", "gshadow"]);

/** What Python's str.split() with no separator splits at (str.isspace), which JavaScript's \s does not match exactly. */
// eslint-disable-next-line no-control-regex -- Python counts these control characters as whitespace
const PY_WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;

/** Ansible's messages for getent's exit codes, apart from 0. */
const FAILURES: Readonly<Record<number, string>> = {
  1: "Missing arguments, or database unknown.",
  2: "One or more supplied key could not be found in the database.",
  3: "Enumeration not supported on this database.",
  127: 'Failed to find required executable "getent" on the host',
};

/** A line's fields: at `split` as Python's str.split(split), or at whitespace runs as str.split(). */
function fields(line: string, split: string | undefined): string[] {
  return split === undefined ? line.split(PY_WHITESPACE).filter((field) => field !== "") : line.split(split);
}

/**
 * getent's lines as Ansible's getent_<database>: first field → the other fields; a first field seen again maps to
 * the list of every entry's other fields, in order. A line with no field (blank, when split at whitespace) is
 * skipped, where Ansible's module would crash.
 */
export function getentEntries(lines: readonly string[], split: string | undefined): Record<string, string[] | string[][]> {
  const entries = new Map<string, string[][]>();
  for (const line of lines) {
    const [first, ...rest] = fields(line, split);
    if (first === undefined) continue;
    entries.set(first, [...(entries.get(first) ?? []), rest]);
  }
  // Object.fromEntries makes own properties even of keys such as "__proto__".
  return Object.fromEntries([...entries].map(([first, all]) => [first, all.length === 1 ? (all[0] ?? []) : all]));
}

function describeLookup(args: GetentArgs): string {
  return `getent ${args.database}${args.key === undefined ? "" : ` ${args.key}`}${args.service === undefined ? "" : ` (service ${args.service})`}`;
}

function plan(args: GetentArgs, answer: Getent): { reason: string; output: Record<string, unknown> } {
  const tree = `getent_${args.database}`;
  if (answer.code === 0) {
    const entries = getentEntries(answer.lines, args.split ?? (COLON_DATABASES.has(args.database) ? ":" : undefined));
    const count = Object.keys(entries).length;
    return { reason: `${describeLookup(args)}: ${count} ${count === 1 ? "entry" : "entries"}`, output: { ansible_facts: { [tree]: entries } } };
  }
  const message = FAILURES[answer.code] ?? "Unexpected failure!";
  if (answer.code === 2 && args.fail_key === false) {
    // Ansible writes the key as given; with no key, Python's None becomes the JSON key "null".
    return { reason: `${describeLookup(args)}: not found (fail_key: false)`, output: { ansible_facts: { [tree]: { [args.key ?? "null"]: null } }, msg: message } };
  }
  throw new ModuleError(message);
}

export default defineModule<GetentArgs>({
  name: "getent",
  description: "Look entries up in a getent database of the host (passwd, group, hosts...), returned as ansible_facts.getent_DATABASE",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["database"],
    properties: {
      database: {
        type: "string",
        minLength: 1,
        description: "The getent database to read: passwd, group, shadow, gshadow, hosts, services, ... (whatever the host's getent knows)",
      },
      key: {
        type: "string",
        description: "The entry to look up (a user or group name or id, a host name, a service); without it, every entry of the database",
      },
      split: {
        type: "string",
        description:
          "What separates an entry's fields (\":\", \"\\t\"); by default \":\" for passwd, group, shadow and gshadow, and runs of whitespace for the other databases. Must not be empty",
      },
      fail_key: {
        type: "boolean",
        default: true,
        description: "Whether a key that is not found fails the task; with false, the result maps the key to null and msg says it was not found",
      },
      service: {
        type: "string",
        minLength: 1,
        description: "The NSS service to ask (getent -s: files, systemd, dns...) instead of the ones /etc/nsswitch.conf names",
      },
    },
  },
  examples: [
    "- getent:\n    database: passwd\n    key: rems\n  register: rems_user",
    "- getent:\n    database: group\n    key: www-data\n    fail_key: false\n  register: www_group",
    "- getent: { database: hosts, key: rems.lab.internal, service: files }",
    "- getent:\n    database: services\n    split: \"\\t\"",
  ],
  capabilities: { diff: false, idempotent: true },
  async check(ctx, args) {
    // Ansible refuses an empty split before running getent.
    if (args.split === "") throw new ModuleError("Invalid split value. The value must be a non-empty string");
    const { database, key, service } = args;
    const answer = await ctx.fact(getentFact, { database, ...(key === undefined ? {} : { key }), ...(service === undefined ? {} : { service }) });
    return { changed: false, ...plan(args, answer) };
  },
});
