/**
 * The variables Ansible's template module adds for the file it renders: ansible_managed (Ansible's default text,
 * "Ansible managed") and the template_* names of the file and the controller.
 */
import { hostname, userInfo } from "node:os";
import type { Vars } from "../types.js";

/** Ansible's default ansible_managed (its DEFAULT_MANAGED_STR). */
export const ANSIBLE_MANAGED = "Ansible managed";

/** The controller's name and user: asked once, not for every template. */
let controller: { host: string; user: string } | undefined;

/** `vars` with the template variables of the template file at `path` (absolute) over them. */
export function withTemplateVars(vars: Vars, path: string): Vars {
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
