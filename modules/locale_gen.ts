/**
 * locale_gen: community.general's locale_gen on Debian. A locale is present when `locale -a` lists it (charset
 * spellings aside, as Ansible's fix_case compares them); making it present or absent uncomments or comments its
 * line of /etc/locale.gen, as Ansible's set_locale does, and runs locale-gen, which rebuilds every locale the file
 * enables. A name /etc/locale.gen does not list fails, as in Ansible. Ubuntu's supported.d layout is refused.
 */
import { sh } from "../engine/command.js";
import { ModuleError } from "../engine/errors.js";
import type { ApplyResult, ChangePlan, ModuleContext, Plan, Prediction } from "../engine/module-api.js";
import { defineModule } from "../engine/module-api.js";
import { pyRegex } from "../engine/template/regex.js";
import { fileBase64 } from "./facts/file-base64.js";
import { fileStat } from "./facts/file-stat.js";
import { localesFact, type Locales } from "./facts/locales.js";
import { readForEdit } from "./shared/file-edit.js";
import { applyPutFile, planPutFile } from "./shared/put-file.js";

export interface Args {
  name: string;
  state?: "present" | "absent";
}

const LOCALE_GEN = "/etc/locale.gen";
const REGENERATE = sh`locale-gen`;

/** `locale -a` prints charsets as glibc normalises them (utf8); locale.gen spells them (UTF-8). Ansible's table. */
const CHARSET_SPELLINGS: readonly (readonly [string, string])[] = [
  [".utf8", ".UTF-8"], [".eucjp", ".EUC-JP"], [".iso885915", ".ISO-8859-15"], [".cp1251", ".CP1251"], [".koi8r", ".KOI8-R"],
  [".armscii8", ".ARMSCII-8"], [".euckr", ".EUC-KR"], [".gbk", ".GBK"], [".gb18030", ".GB18030"], [".euctw", ".EUC-TW"],
];

/** A locale name with locale.gen's charset spelling, so `locale -a`'s and the task's names compare. */
export function fixCase(name: string): string {
  return CHARSET_SPELLINGS.reduce((text, [from, to]) => text.replaceAll(from, to), name);
}

/**
 * How `locale -a` will list a locale once generated: glibc normalises the charset (letters and digits only, in
 * lower case; "iso" before one of digits only), so a prediction matches what the host will say.
 */
export function listedAs(name: string): string {
  return name.replace(/\.([^@]*)/, (_dot, charset: string) => {
    const normal = charset.replace(/[^A-Za-z0-9]/g, "").toLowerCase();
    return `.${/^\d+$/.test(normal) ? `iso${normal}` : normal}`;
  });
}

/** Whether locale.gen has a line for NAME, enabled or commented out (Ansible's is_available). */
export function listed(text: string, name: string): boolean {
  return text.split("\n").some((line) => /^#?\s*(\S+_\S+) (\S+)\s*$/.exec(line)?.[1] === name);
}

/**
 * locale.gen with NAME's lines enabled or commented out, as Ansible's set_locale rewrites each line. The name goes
 * into the pattern unescaped, as there (a dot matches any character): the lines Ansible touches are the ones touched.
 */
export function setLocale(text: string, name: string, enabled: boolean): string {
  const pattern = pyRegex(`#{0,1}\\s*${name} (.+)`, {}, "g");
  return text
    .split(/(?<=\n)/)
    .map((line) => line.replace(pattern, (_match, charset: string) => `${enabled ? "" : "# "}${name} ${charset}`))
    .join("");
}

/** Handed from check to apply: the write of locale.gen, when its text changes. */
interface LocaleGenData {
  write?: ChangePlan;
}

async function check(ctx: ModuleContext, args: Args): Promise<Plan> {
  const { name, state = "present" } = args;
  // Everything the plan reads, in one request, so the prefetch pass learns all of it.
  const [locales] = (await ctx.facts([
    { fact: localesFact, args: {} },
    { fact: fileBase64, args: { path: LOCALE_GEN } },
    { fact: fileStat, args: { path: LOCALE_GEN, follow: false } },
  ])) as [Locales];
  if (locales.ubuntuLayout) throw new ModuleError("this host keeps its locales in /var/lib/locales/supported.d (Ubuntu's layout): locale_gen manages Debian's /etc/locale.gen only");
  const bytes = await readForEdit(ctx, LOCALE_GEN, "locale_gen");
  const present = locales.installed.some((installed) => fixCase(installed) === fixCase(name));
  const output = { name, msg: "OK" };
  if (present === (state === "present")) return { changed: false, reason: `locale ${name} is ${state}`, output };
  const installed = state === "present" ? [...locales.installed, listedAs(name)] : locales.installed.filter((l) => fixCase(l) !== fixCase(name));
  const predicts: Prediction[] = [{ fact: localesFact, args: {}, value: { ubuntuLayout: false, installed } satisfies Locales }];
  const summary = `${state === "present" ? "generate" : "remove"} locale ${name}`;
  if (bytes === undefined) {
    if (!ctx.checkMode) throw new ModuleError(`${LOCALE_GEN} and /var/lib/locales/supported.d/local are missing. Is the package "locales" installed?`);
    // Where Ansible fails: an earlier task of this check run may install the locales package (postgresql pulls
    // it in), and an audit of a fresh host must not fail on content that is fine.
    ctx.warn(`the locales package is not installed yet (no ${LOCALE_GEN}); an earlier task would install it`);
    return { changed: true, summary, commands: [REGENERATE], predicts, output };
  }
  const text = bytes.toString("utf8");
  if (!listed(text, name)) throw new ModuleError("The locale you've entered is not available on your system.");
  const write = await planPutFile(ctx, { dest: LOCALE_GEN, content: Buffer.from(setLocale(text, name, state === "present"), "utf8") });
  // The plan shows no diff of the file, as Ansible's locale_gen: the edit is a means, the locale is what changes.
  const edit = write.changed === true ? write : undefined;
  return {
    changed: true,
    summary,
    commands: [...(edit?.commands ?? []), REGENERATE],
    predicts: [...(edit?.predicts ?? []), ...predicts],
    output,
    data: (edit === undefined ? {} : { write: edit }) satisfies LocaleGenData,
  };
}

async function apply(ctx: ModuleContext, _args: Args, plan: ChangePlan): Promise<ApplyResult> {
  const { write } = plan.data as LocaleGenData;
  if (write !== undefined) await applyPutFile(ctx, write);
  await ctx.run(REGENERATE);
  return { changed: true, output: plan.output ?? {} };
}

export default defineModule<Args>({
  name: "locale_gen",
  description: "Generate or remove a locale (community.general's locale_gen)",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["name"],
    properties: {
      name: { type: "string", minLength: 1, description: "The locale with its charset as /etc/locale.gen lists it, e.g. `en_US.UTF-8`; a name it does not list fails." },
      state: { type: "string", enum: ["present", "absent"], default: "present", description: "Whether the locale should be generated (its line in /etc/locale.gen enabled) or not (commented out)." },
    },
  },
  examples: [
    "- locale_gen: { name: en_US.UTF-8 }",
    "- locale_gen: { name: de_CH.UTF-8, state: absent }",
  ],
  capabilities: { diff: false, idempotent: true },
  check,
  apply,
});
