/** JSON schema of a YAML inventory: groups with hosts, children (nested groups) and vars. */
import type { JsonSchema } from "../module-api.js";

export const INVENTORY_SCHEMA: JsonSchema = {
  type: "object",
  description: "Top-level groups (usually just 'all')",
  additionalProperties: { $ref: "#/definitions/group" },
  definitions: {
    group: {
      type: ["object", "null"],
      description: "A group",
      additionalProperties: false,
      properties: {
        hosts: {
          type: ["object", "null"],
          description: "Hosts of the group (name → host variables); names may be ranges like web[01:03]",
          additionalProperties: { type: ["object", "null"], description: "Host variables" },
        },
        children: {
          type: ["object", "null"],
          description: "Groups inside this group",
          additionalProperties: { $ref: "#/definitions/group" },
        },
        vars: { type: ["object", "null"], description: "Variables of every host in the group" },
      },
    },
  },
};
