/**
 * locale_gen: the table of fixtures, then its pure parts: charset spellings compared as Ansible's fix_case does,
 * the names locale -a will print, and set_locale's rewrite of locale.gen.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import locale_gen, { fixCase, listed, listedAs, setLocale } from "../../../modules/locale_gen.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(locale_gen);

test("locale -a's spellings of charsets compare equal to locale.gen's", () => {
  const table: [string, string][] = [["en_US.utf8", "en_US.UTF-8"], ["de_DE.iso885915", "de_DE.ISO-8859-15"], ["ja_JP.eucjp", "ja_JP.EUC-JP"], ["ru_RU.koi8r", "ru_RU.KOI8-R"], ["en_US", "en_US"]];
  for (const [listedName, asked] of table) assert.equal(fixCase(listedName), fixCase(asked), listedName);
  assert.notEqual(fixCase("en_US.utf8"), fixCase("en_GB.UTF-8"));
});

test("a generated locale is predicted as locale -a prints it", () => {
  const table: [string, string][] = [["en_US.UTF-8", "en_US.utf8"], ["de_DE.ISO-8859-15", "de_DE.iso885915"], ["sr_RS.UTF-8@latin", "sr_RS.utf8@latin"], ["en_US", "en_US"], ["xx_YY.8859", "xx_YY.iso8859"]];
  for (const [name, printed] of table) assert.equal(listedAs(name), printed, name);
});

test("a locale is available when locale.gen has its line, enabled or not, and only its exact name", () => {
  const text = "# comment lines of many words are not locales\n# en_US.UTF-8 UTF-8\nde_CH.UTF-8 UTF-8\n#  fr_FR ISO-8859-1  \n";
  const table: [string, boolean][] = [["en_US.UTF-8", true], ["de_CH.UTF-8", true], ["fr_FR", true], ["en_US", false], ["en_US.UTF", false], ["comment", false]];
  for (const [name, found] of table) assert.equal(listed(text, name), found, name);
});

test("enabling uncomments the locale's lines, disabling comments them, other lines stay byte for byte", () => {
  const text = "# head\n# en_US ISO-8859-1\n#en_US.UTF-8 UTF-8\n  # en_US.UTF-8 UTF-8\nen_GB.UTF-8 UTF-8";
  assert.equal(setLocale(text, "en_US.UTF-8", true), "# head\n# en_US ISO-8859-1\nen_US.UTF-8 UTF-8\n  en_US.UTF-8 UTF-8\nen_GB.UTF-8 UTF-8");
  assert.equal(setLocale("en_US.UTF-8 UTF-8\n", "en_US.UTF-8", false), "# en_US.UTF-8 UTF-8\n");
  assert.equal(setLocale("# en_US.UTF-8 UTF-8\n", "en_US.UTF-8", false), "# en_US.UTF-8 UTF-8\n");
});
