/**
 * service_facts: the host's services as ansible.builtin.service_facts returns them, in `ansible_facts.services`:
 * systemd's service units keyed by unit name ("ssh.service": name, state running/stopped/..., status enabled,
 * static, not-found ..., source systemd) and the init scripts `service --status-all` lists keyed by script name
 * (source sysv). All of it is one probe (modules/facts/services.ts), so it travels in the play's batched probe.
 * Read-only: it runs in check mode too and always reports ok (where Ansible finds no service and says skipped, the
 * result says so too: `skipped: true` and Ansible's msg).
 */
import { defineModule } from "../engine/module-api.js";
import { servicesFact } from "./facts/services.js";

export type ServiceFactsArgs = Record<string, never>;

export default defineModule<ServiceFactsArgs>({
  name: "service_facts",
  description: "Return the host's services (systemd units and init scripts) as ansible_facts.services",
  schema: { type: "object", additionalProperties: false, properties: {} },
  examples: [
    "- service_facts: {}",
    "- service_facts: {}\n- debug:\n    msg: \"nginx is {{ ansible_facts.services['nginx.service'].state }}\"\n  when: \"'nginx.service' in ansible_facts.services\"",
  ],
  capabilities: { diff: false, idempotent: true },
  async check(ctx) {
    const services = await ctx.fact(servicesFact, {});
    const count = Object.keys(services).length;
    // Ansible's result when neither systemd nor the service tool answered: skipped, with this message and no facts.
    if (count === 0) {
      const msg = "Failed to find any services. This can be due to privileges or some other configuration issue.";
      return { changed: false, reason: "no services found", output: { skipped: true, msg } };
    }
    return { changed: false, reason: `${count} ${count === 1 ? "service" : "services"}`, output: { ansible_facts: { services } } };
  },
});
