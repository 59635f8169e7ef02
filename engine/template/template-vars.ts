/**
 * The variables Ansible adds when it renders a template file (the template module; ansible-core's
 * generate_ansible_template_vars), over the task's own: roles write `# {{ ansible_managed }}` at the top of the
 * files they manage.
 */

/**
 * Ansible's default `ansible_managed` text. Ansible reads another from ansible.cfg (`[defaults] ansible_managed`,
 * a strftime format of the template's mtime); rems-play reads no ansible.cfg, so the default is the text.
 */
export const ANSIBLE_MANAGED = "Ansible managed";

/** VARS with the template file's variables added, as Ansible adds them: they win over variables of the same name. */
export function withTemplateFileVars(vars: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  return { ...vars, ansible_managed: ANSIBLE_MANAGED };
}
