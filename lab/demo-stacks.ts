/**
 * What `npm run demo` can deploy on the lab (`--stack NAME`): REMS on one host (playbooks/site.yml), or the Noctis
 * stack of the second seed document on three (playbooks/noctis.yml with the example inventory's groups and its
 * vault, whose password is the test suite's public one).
 */
import { LabError } from "./lab-error.js";

export interface DemoStack {
  /** The app as the demo names it. */
  app: string;
  /** How many lab hosts it takes; the first is the web host. */
  hosts: number;
  /** The lab's name unless --lab is given. */
  lab: string;
  /** rems-play's arguments after the lab's `-i INVENTORY`: the playbook first. */
  args: string[];
  /** Lines of extra advice (where the other parts of the stack are). */
  notes: (hostNames: readonly string[]) => string[];
}

export const DEMO_STACKS: Readonly<Record<string, DemoStack>> = {
  rems: { app: "REMS", hosts: 1, lab: "demo", args: ["playbooks/site.yml"], notes: () => [] },
  noctis: {
    app: "the Noctis stack",
    hosts: 3,
    lab: "demo-noctis",
    args: ["playbooks/noctis.yml", "-i", "inventory/noctis/three-hosts.yml", "--vault-password-file", "test/fixtures/vault/test-password.txt"],
    notes: (names) => [`  the database is on ${names[1] ?? "lab2"}, Prometheus on ${names[2] ?? "lab3"} (port 9090 from that host only: curl http://127.0.0.1:9090/api/v1/targets there)`],
  },
};

export function demoStack(name: string): DemoStack {
  const stack = DEMO_STACKS[name];
  if (stack === undefined) throw new LabError(`unknown stack ${JSON.stringify(name)}: use ${Object.keys(DEMO_STACKS).join(" or ")}`);
  return stack;
}
