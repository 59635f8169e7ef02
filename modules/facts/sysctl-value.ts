/**
 * A kernel parameter's current value, as ansible.posix.sysctl reads it: `sysctl -e -n NAME` in the C locale. A
 * failing sysctl reads as no value (`undefined`), as in Ansible, which then counts the parameter as different.
 */
import { sh } from "../../engine/command.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";

export interface SysctlValueArgs {
  name: string;
}

/** The value as printed (its newline kept: values are compared word by word), or undefined when sysctl failed. */
export interface SysctlValue {
  value?: string;
}

export function parseSysctlValue(output: ProbeOutput): SysctlValue {
  return output.code === 0 ? { value: output.stdout } : {};
}

export const sysctlValue = defineFact<SysctlValue, SysctlValueArgs>({
  name: "sysctl_value",
  command: ({ name }) => sh`LC_ALL=C sysctl -e -n ${name}`,
  parse: parseSysctlValue,
});
