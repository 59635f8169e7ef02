/**
 * locale_gen on lab hosts (the locales package installed first, as a role's apt task would): the ladder that
 * generates a locale and its reverse, a misspelt argument, and the same tasks under ansible-playbook on a twin
 * (Ansible as the oracle): statuses, then the locales and /etc/locale.gen afterwards.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { assertBadArgument, ladder, modulePlaybook } from "../../helpers/module-ladder.js";
import { onTwins, PLAYBOOK, runOracleCase, preparedTwins } from "../../helpers/parity.js";

// Two hosts: the ladder runs on the first, the parity case uses both as twins (rems-play on the first).
const lab = sharedLab("mod-locale-gen", 2);
const PREPARE = "command -v locale-gen >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q locales; } >/dev/null 2>&1";
/** Every locale disabled again and the generated ones removed (locale-gen builds none then). */
const RESET = "sed -i -E 's/^([a-z][^ ]* )/# \\1/' /etc/locale.gen && locale-gen >/dev/null";
const PROBE = "locale -a; grep -v '^#' /etc/locale.gen";
const withLocales = preparedTwins(lab, PREPARE);

describe("locale_gen on a lab host", () => {
  test("generates a locale, then removes it: check, apply, check, apply", async (t) => {
    const host = await withLocales(t);
    if (!host) return;
    await onTwins(host, RESET);
    const { after } = await ladder(host, modulePlaybook(`
- name: the locale
  locale_gen: { name: de_CH.UTF-8 }
`), PROBE);
    assert.equal(after, "exit 0\nC\nC.utf8\nPOSIX\nde_CH.utf8\n\n\nde_CH.UTF-8 UTF-8\n");
    const removed = await ladder(host, modulePlaybook(`
- name: no locale
  community.general.locale_gen: name=de_CH.UTF-8 state=absent
`), PROBE);
    assert.equal(removed.after, "exit 0\nC\nC.utf8\nPOSIX\n\n\n");
  });

  test("a misspelled argument is an input error with its location", async (t) => {
    const host = await withLocales(t);
    if (!host) return;
    await assertBadArgument(host, `
- name: typo
  locale_gen:
    name: de_CH.UTF-8
    sate: absent
`, `playbook.yml:7:9: task "typo": locale_gen: unknown argument 'sate'; did you mean 'state'?`);
  });

  test("does what ansible-playbook does, task by task", async (t) => {
    const host = await withLocales(t);
    if (!host) return;
    const files = {
      [PLAYBOOK]: `- hosts: all
  gather_facts: false
  tasks:
    - name: add in check mode
      community.general.locale_gen: { name: en_US.UTF-8 }
      check_mode: true
    - name: add
      community.general.locale_gen: { name: en_US.UTF-8 }
    - name: again
      locale_gen: { name: en_US.UTF-8 }
    - name: a name without its charset
      locale_gen: { name: en_US }
    - name: not in locale.gen
      locale_gen: { name: xx_YY.UTF-8 }
      ignore_errors: true
    - name: remove
      locale_gen: { name: en_US, state: absent }
    - name: remove again
      locale_gen: { name: en_US, state: absent }
`,
    };
    const run = await runOracleCase(t, lab, {
      files,
      reset: RESET,
      ansible: ["add in check mode=changed", "add=changed", "again=ok", "a name without its charset=changed", "not in locale.gen=failed", "remove=changed", "remove again=ok"],
    });
    if (!run) return;
    const [ours, theirs] = await onTwins(run.lab, PROBE);
    assert.equal(ours, theirs);
    assert.equal(ours, "C\nC.utf8\nPOSIX\nen_US.utf8\n\n\nen_US.UTF-8 UTF-8\n");
  });
});
