/**
 * The variables Ansible adds when it renders a template file (ansible-core's generate_ansible_template_vars), over
 * the task's own: ansible_managed, which roles write at the top of the files they manage, and the template_* names
 * of the file and the controller. Outside a template file (a task's argument) they are undefined, as in Ansible.
 */
import { hostname, userInfo } from "node:os";

/**
 * Ansible's default `ansible_managed` text (its DEFAULT_MANAGED_STR). Ansible reads another from ansible.cfg;
 * rems-play reads no ansible.cfg, so the default is the text.
 */
export const ANSIBLE_MANAGED = "Ansible managed";

/** The controller's name and user: asked once, not for every template. */
let controller: { host: string; user: string } | undefined;

/** VARS with the variables of the template file at PATH (absolute) over them: they win over the task's, as in Ansible. */
export function withTemplateFileVars(vars: Readonly<Record<string, unknown>>, path: string): Readonly<Record<string, unknown>> {
  controller ??= { host: hostname(), user: userInfo().username };
  return {
    ...vars,
    ansible_managed: ANSIBLE_MANAGED,
    template_path: path,
    template_fullpath: path,
    template_host: controller.host,
    template_uid: controller.user,
  };
}
