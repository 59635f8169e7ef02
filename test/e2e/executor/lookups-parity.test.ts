/**
 * Issue 14, Ansible as the oracle: one playbook whose role uses the with_* loops, lookups, the `#jinja2:` header
 * and the filters and tests real roles use, run by rems-play (lab1) and ansible-playbook 2.14 (lab2, its twin):
 * the same statuses task by task and item by item, the same files on both hosts (names, modes, contents), and a
 * second run that changes nothing under either tool.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { onTwins, PLAYBOOK, runOracleCase, statusLines } from "../../helpers/parity.js";

const lab = sharedLab("jj-lookups", 2);

const BASE = "/srv/jj-lookups";

const files = {
  [PLAYBOOK]: `- name: lookups
  hosts: all
  gather_facts: true
  vars:
    base: ${BASE}
    modes: { a: "0640", b: "0600" }
    users:
      - { name: alice, ssh_keys: [k1, k2] }
      - { name: bob, ssh_keys: [k3] }
  roles: [site]
`,
  // The password lookup reads a password kept beside the playbook (both tools run at once: a file made by one
  // while the other makes it too would differ; making one is a unit test).
  "creds/db": "kept-password-1\n",
  "roles/site/vars/default.yml": "motd_owner: default-vars\n",
  "roles/site/vars/Debian-12.yml": "motd_owner: debian-12-vars\n",
  "roles/site/files/motd.txt": "hello from the role\n",
  "roles/site/files/extra.txt": "extra\n",
  "roles/site/files/app.ini": "[db]\nuser = rems\n",
  "roles/site/templates/small.j2": "owner={{ motd_owner }}\n",
  "roles/site/templates/app.conf.j2": `#jinja2: trim_blocks: False, lstrip_blocks: True
[app]
{% for u in users %}
  {% if u.ssh_keys | length > 1 %}
user = {{ u.name }}
  {% endif %}
{% endfor %}
owner = {{ motd_owner }}
`,
  "roles/site/tasks/main.yml": `- name: base directory
  file: { path: "{{ base }}", state: directory, mode: "0755" }
- name: directories
  file: { path: "{{ base }}/{{ item }}", state: directory, mode: "0755" }
  with_items: [conf, [keys, seq]]
- name: per-OS variables
  include_vars: "{{ item }}"
  with_first_found:
    - "{{ ansible_distribution }}-{{ ansible_distribution_major_version }}.yml"
    - "{{ ansible_no_such_fact }}.yml"
    - default.yml
- name: config with a jinja2 header
  template: { src: "{{ item }}", dest: "{{ base }}/conf/app.conf", mode: "0644" }
  with_first_found:
    - files: [nope.conf.j2, app.conf.j2]
- name: files from a dict
  copy: { content: "{{ item.key }}\\n", dest: "{{ base }}/conf/{{ item.key }}", mode: "{{ item.value }}" }
  with_dict: "{{ modes }}"
- name: keys
  copy: { content: "{{ item.1 }}\\n", dest: "{{ base }}/keys/{{ item.0.name }}-{{ item.1 }}", mode: "0600" }
  with_subelements: ["{{ users }}", ssh_keys]
- name: a sequence
  copy: { content: "{{ item }}\\n", dest: "{{ base }}/seq/{{ item }}", mode: "0644" }
  with_sequence: start=1 end=3 format=f%02d
- name: nested
  copy: { content: "{{ item.0 }}{{ item.1 }}\\n", dest: "{{ base }}/seq/n-{{ item.0 }}-{{ item.1 }}", mode: "0644" }
  with_nested: [[x, y], [1, 2]]
- name: together
  copy: { content: "{{ item.1 }}\\n", dest: "{{ base }}/seq/t-{{ item.0 }}", mode: "0644" }
  with_together: [[a, b], [1, 2]]
- name: indexed
  copy: { content: "{{ item.1 }}\\n", dest: "{{ base }}/seq/i-{{ item.0 }}", mode: "0644" }
  with_indexed_items: [p, q]
- name: a list of lists
  debug: { msg: "{{ item | length }}" }
  with_list: [[1, 2], [3]]
- name: role files by glob
  copy: { src: "{{ item }}", dest: "{{ base }}/conf/", mode: "0644" }
  with_fileglob: ["*.txt"]
- name: nothing found, skipped
  debug: { msg: "{{ item }}" }
  with_first_found:
    - files: [nope.txt]
      skip: true
- name: lookups, filters and tests
  copy:
    dest: "{{ base }}/conf/lookups"
    mode: "0600"
    content: |
      file={{ lookup('file', 'motd.txt') }}
      ini={{ lookup('ini', 'user section=db file=app.ini') }}
      seq={{ lookup('sequence', 'start=1 end=3') }}
      dict={{ query('dict', modes) | map(attribute='key') | join(',') }}
      password={{ lookup('password', 'creds/db') }}
      vars={{ lookup('vars', 'base') }}
      varnames={{ query('varnames', '^mode') | join(',') }}
      env={{ lookup('env', 'JJ_NOT_SET', default='none') }}
      pipe={{ lookup('pipe', 'echo piped') }}
      first_found={{ lookup('first_found', ['nope.txt', 'motd.txt']) | basename }}
      fileglob={{ query('fileglob', '*.txt') | map('basename') | sort | join(',') }}
      template={{ lookup('template', 'small.j2') }}
      items={{ q('items', [1, [2, 3]], 4) | length }}
      ignored={{ lookup('file', 'nope.txt', errors='ignore') is none }}
      {{ 'managed by the playbook' | comment }}
      {{ 'one' | comment('c', prefix_count=2, postfix_count=0) }}
      {{ {'b': [1, {'c': 'd'}], 'a': 'yes', 'e': ''} | to_nice_yaml }}
      expanduser={{ '~root/x' | expanduser }}
      hash={{ 'secret' | password_hash('sha512', 'mysalt') }}
      hash256={{ 'secret' | password_hash('sha256', 'mysalt') }}
      regex={{ 'OpenSSH_9.2p1' | regex_search('(\\d+)\\.(\\d+)', '\\1', '\\2') | join('.') }}
      tests={{ 'abc' is regex('b') }},{{ 'abc' is match('b') }},{{ 'abc' is search('b') }},{{ 'abc' is regex('a.c', match_type='fullmatch') }}
`,
};

/** What ansible-playbook 2.14 reports for the first run (the second: the same, with ok for changed). */
const EXPECTED_FIRST: readonly string[] = [
  "Gathering Facts=ok",
  "site : base directory=changed",
  "site : directories[0]=changed",
  "site : directories[1]=changed",
  "site : directories[2]=changed",
  "site : per-OS variables[0]=ok",
  "site : config with a jinja2 header[0]=changed",
  "site : files from a dict[0]=changed",
  "site : files from a dict[1]=changed",
  "site : keys[0]=changed",
  "site : keys[1]=changed",
  "site : keys[2]=changed",
  "site : a sequence[0]=changed",
  "site : a sequence[1]=changed",
  "site : a sequence[2]=changed",
  "site : nested[0]=changed",
  "site : nested[1]=changed",
  "site : nested[2]=changed",
  "site : nested[3]=changed",
  "site : together[0]=changed",
  "site : together[1]=changed",
  "site : indexed[0]=changed",
  "site : indexed[1]=changed",
  "site : a list of lists[0]=ok",
  "site : a list of lists[1]=ok",
  "site : role files by glob[0]=changed",
  "site : role files by glob[1]=changed",
  "site : nothing found, skipped=skipped",
  "site : lookups, filters and tests=changed",
];

const RESET = `rm -rf ${BASE}`;
/** Every path under BASE with its type and mode, each file followed by its contents. */
const END_STATE = `cd ${BASE} && find . | sort | while read -r f; do stat -c '== %n %F %a' "$f"; if [ -f "$f" ]; then cat "$f"; fi; done`;

describe("issue 14: with_* loops, lookups, the #jinja2: header, filters: rems-play as ansible-playbook", () => {
  test("the same statuses, the same files on both twins, and a second run changes nothing", async (t) => {
    const first = await runOracleCase(t, lab, { files, reset: RESET, ansible: EXPECTED_FIRST });
    if (!first) return;
    const [rems, ansible] = await onTwins(first.lab, END_STATE);
    assert.deepEqual(rems.split("\n"), ansible.split("\n"));
    assert.match(rems, /password=kept-password-1\n/);
    assert.match(rems, /user = alice\n/);
    const second = await runOracleCase(t, lab, { files, reset: "true", ansible: EXPECTED_FIRST.map((line) => line.replace(/=changed$/, "=ok")) });
    if (!second) return;
    assert.equal(statusLines(second.twins.rems).filter((line) => line.endsWith("=changed")).length, 0);
    assert.deepEqual(await onTwins(second.lab, END_STATE), [rems, ansible]);
  });
});
