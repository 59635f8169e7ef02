/** Version comparison as Ansible's `version` test does it by default (Python's LooseVersion). */

type Part = number | string;

function parts(version: string): Part[] {
  return version
    .split(/(\d+|[a-z]+|\.)/)
    .filter((x) => x !== "" && x !== ".")
    .map((x) => (/^\d+$/.test(x) ? Number(x) : x));
}

function cmpPart(a: Part, b: Part): number {
  if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
  return typeof a === "number" ? -1 : 1;
}

export function compareVersions(a: string, b: string): number {
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const c = cmpPart(pa[i] ?? 0, pb[i] ?? 0);
    if (c !== 0) return c;
  }
  return Math.sign(pa.length - pb.length);
}

const OPERATORS: Record<string, (c: number) => boolean> = {
  "==": (c) => c === 0, "=": (c) => c === 0, eq: (c) => c === 0,
  "!=": (c) => c !== 0, "<>": (c) => c !== 0, ne: (c) => c !== 0,
  "<": (c) => c < 0, lt: (c) => c < 0,
  "<=": (c) => c <= 0, le: (c) => c <= 0,
  ">": (c) => c > 0, gt: (c) => c > 0,
  ">=": (c) => c >= 0, ge: (c) => c >= 0,
};

export function versionTest(value: string, other: string, operator: string): boolean {
  const test = OPERATORS[operator];
  if (!test) throw new Error(`version: invalid operator ${JSON.stringify(operator)}, expected one of ${Object.keys(OPERATORS).join(", ")}`);
  return test(compareVersions(value, other));
}
