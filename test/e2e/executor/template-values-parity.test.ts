/**
 * Issue 14, Ansible as the oracle: what a templated value is, as rems-play (lab1) and ansible-playbook 2.14 (lab2,
 * its twin) give it to debug, set_fact and copy: rendered text read back as a list, dict or boolean, numbers as
 * their text, floats printed as Python prints them, and to_yaml / to_nice_yaml output, compared value by value
 * (a debug's msg, a set_fact's value as debug var= shows it) and file by file.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { onTwins, PLAYBOOK, runOracleCase } from "../../helpers/parity.js";

const lab = sharedLab("tmpl-values", 2);

/** name -> the value given to debug's msg (a YAML flow scalar, written as JSON). */
const MESSAGES: Readonly<Record<string, string>> = {
  "list text": "[{{ n }}, {{ n + 1 }}]",
  "dict text": "{'k': {{ n }}, 'j': {{ t | lower }}}",
  "boolean text": "{{ 'Fal' }}se",
  "not a literal": "[{{ s }}]",
  "list of a string var": "{{ lstr }}",
  "to_json stays text": "{{ l | to_json }}",
  "to_json trimmed is a list": "{{ l | to_json | trim }}",
  "number expression": "{{ n + 1 }}",
  "number variable": "{{ n }}",
  "round of a float": "{{ 39.6 | round }}",
  "round of an int": "{{ 40 | round }}",
  "division": "{{ n / 5 }}",
  "float filter": "{{ '3' | float }}",
  "int filter": "{{ 3.7 | int }}",
  "floats in a list": "{{ [n / 5, 2.5, 1.0] }}",
  "to_yaml": "{{ data | to_yaml }}",
  "to_nice_yaml": "{{ data | to_nice_yaml }}",
  "to_yaml block": "{{ data | to_yaml(default_flow_style=False, indent=4) }}",
};

const data = "{ b: [1, 2, { c: d }], a: x y, e: [], n: null, num: 1.5, s: 'yes', multi: \"l1\\nl2\\n\", u: ünï }";

const files = {
  [PLAYBOOK]: `- name: template values
  hosts: all
  gather_facts: false
  vars:
    n: 5
    s: abc
    t: true
    l: [1, 2]
    lstr: "[1, 2]"
    data: ${data}
    site_rules: "[{% for p in [80, 443] %}{{ {'port': p | string} | to_json }}{{ '' if loop.last else ',' }}{% endfor %}]"
  tasks:
${Object.entries(MESSAGES).map(([name, msg]) => `    - name: ${name}\n      debug: { msg: ${JSON.stringify(msg)} }\n`).join("")}    - name: a rendered list is added to a list
      set_fact: { rules: "{{ [{'port': '22'}] + site_rules }}", sum: "{{ n + 1 }}" }
    - name: show the facts
      debug: { var: "[rules, sum]" }
    - name: write YAML
      copy: { dest: /tmp/tmpl-values.yml, content: "{{ data | to_yaml }}{{ data | to_nice_yaml(indent=2, width=40) }}" }
`,
};

describe("templated values: rems-play gives what ansible-playbook 2.14 gives", () => {
  test("debug messages, set_fact values and a YAML file are the same under both tools", async (t) => {
    const names = [...Object.keys(MESSAGES), "a rendered list is added to a list", "show the facts", "write YAML"];
    const ansible = names.map((name) => `${name}=${name === "write YAML" ? "changed" : "ok"}`);
    const run = await runOracleCase(t, lab, { files, reset: "rm -f /tmp/tmpl-values.yml", ansible });
    if (!run) return;
    const { remsRun, ansibleRun, ansibleHost } = run.twins;
    const ansibleResults = ansibleRun.results[ansibleHost.name] ?? [];
    for (const name of [...Object.keys(MESSAGES), "show the facts"]) {
      const theirs = ansibleResults.find((r) => r.task === name)?.result;
      const ours = remsRun.results.find((r) => r.task === name);
      const field = name === "show the facts" ? "[rules, sum]" : "msg";
      assert.ok(theirs && field in theirs, `ansible-playbook's result of ${name}`);
      assert.deepEqual(field === "msg" ? ours?.msg : ours?.debugVar?.[field], theirs[field], name);
    }
    const [remsYaml, ansibleYaml] = await onTwins(run.lab, "cat /tmp/tmpl-values.yml");
    assert.equal(remsYaml, ansibleYaml);
  });
});
