/**
 * The locales compiled on the host, as `locale -a` lists them (what Ansible's locale_gen asks to learn whether a
 * locale is present), and whether the host keeps Ubuntu's list of wanted locales (/var/lib/locales/supported.d)
 * instead of Debian's /etc/locale.gen.
 */
import { sh } from "../../engine/command.js";
import { FactError } from "../../engine/errors.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";

export interface Locales {
  /** /var/lib/locales/supported.d exists: locale-gen reads its wanted locales there, not in /etc/locale.gen. */
  ubuntuLayout: boolean;
  /** `locale -a`, one name a line, as printed (en_US.utf8). */
  installed: string[];
}

export function parseLocales(output: ProbeOutput): Locales {
  const [layout, ...names] = output.stdout.split("\n").filter((line) => line !== "");
  if (output.code !== 0 || (layout !== "ubuntu" && layout !== "debian")) {
    throw new FactError(`unexpected locale probe output (exit code ${output.code}): ${JSON.stringify(output.stdout.slice(0, 200))}`);
  }
  return { ubuntuLayout: layout === "ubuntu", installed: names };
}

export const localesFact = defineFact<Locales, Record<string, never>>({
  name: "locales",
  command: () => sh`if [ -d /var/lib/locales/supported.d/ ]; then echo ubuntu; else echo debian; fi && locale -a`,
  parse: parseLocales,
});
