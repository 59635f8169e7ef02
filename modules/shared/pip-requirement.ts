/**
 * What Ansible 2.14's pip module knows of requirements: names split back out of a list where a version bound
 * stood alone (`_recover_package_name`), a requirement's name (PEP 503 canonical) and version specifiers, and
 * whether an installed version satisfies them (pre-releases allowed, as it asks packaging). Anything that is not
 * a plain `name[extras] specifiers` (a URL, a path, a VCS link) is never satisfied, so pip is always asked.
 */

const OPERATORS = ["===", "~=", "==", "!=", "<=", ">=", "<", ">"] as const;
type Operator = (typeof OPERATORS)[number];

export interface Requirement {
  /** As given, for pip's command line. */
  text: string;
  /** Canonical name (lower case, runs of `-_.` as `-`); undefined when the text is not a plain requirement. */
  name: string | undefined;
  specs: { op: Operator; version: string }[];
}

export function canonicalName(name: string): string {
  return name.replace(/[-_.]+/g, "-").toLowerCase();
}

/** Ansible's _recover_package_name: `["django>1.1", "<1.3", "six"]` → `["django>1.1,<1.3", "six"]`. */
export function recoverNames(names: readonly string[]): string[] {
  const parts = names.flatMap((name) => name.split(","));
  const packages: string[] = [];
  let current: string[] = [];
  let inBrackets = false;
  for (const part of parts) {
    const isName = !OPERATORS.some((op) => part.trimStart().startsWith(op)) && !part.trimStart().startsWith("~=");
    if (isName && !inBrackets) {
      if (current.length > 0) packages.push(current.join(","));
      current = [];
    }
    if (part.includes("[")) inBrackets = true;
    if (inBrackets && part.includes("]")) inBrackets = false;
    current.push(part);
  }
  packages.push(current.join(","));
  return packages;
}

/** A requirement, with Ansible's `version` argument joined on (`==` before a bare version). */
export function parseRequirement(text: string, version?: string): Requirement {
  const trimmed = version === undefined ? text : `${text}${/^\d/.test(version.trimStart()) ? "==" : " "}${version.trimStart()}`;
  const match = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(.*?)\s*$/.exec(trimmed);
  if (!match?.[1]) return { text: trimmed, name: undefined, specs: [] };
  const rest = match[3] ?? "";
  const specs: Requirement["specs"] = [];
  for (const clause of rest === "" ? [] : rest.split(",")) {
    const spec = /^\s*(===|~=|==|!=|<=|>=|<|>)\s*([A-Za-z0-9.*+!_-]+)\s*$/.exec(clause);
    if (!spec?.[1] || !spec[2]) return { text: trimmed, name: undefined, specs: [] };
    specs.push({ op: spec[1] as Operator, version: spec[2] });
  }
  return { text: trimmed, name: canonicalName(match[1]), specs };
}

interface Version {
  epoch: number;
  release: number[];
  /** Pre-release as [rank, n] (a=0, b=1, rc=2); none sorts after every pre-release. */
  pre: [number, number] | undefined;
  post: number | undefined;
  dev: number | undefined;
}

const VERSION = /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?(\d*))?(?:(?:-(\d+))|(?:[-_.]?(?:post|rev|r)[-_.]?(\d*)))?(?:[-_.]?dev[-_.]?(\d*))?$/i;
const PRE_RANK: Record<string, number> = { a: 0, alpha: 0, b: 1, beta: 1, c: 2, rc: 2, pre: 2, preview: 2 };

export function parseVersion(text: string): Version | undefined {
  const m = VERSION.exec(text.trim());
  if (!m?.[2]) return undefined;
  return {
    epoch: Number(m[1] ?? 0),
    release: m[2].split(".").map(Number),
    pre: m[3] === undefined ? undefined : [PRE_RANK[m[3].toLowerCase()] ?? 0, Number(m[4] || 0)],
    post: m[5] !== undefined ? Number(m[5]) : m[6] !== undefined ? Number(m[6] || 0) : undefined,
    dev: m[7] !== undefined ? Number(m[7] || 0) : undefined,
  };
}

function compareRelease(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** PEP 440 order: epoch, release, then dev < pre < final < post. */
export function compareVersions(a: Version, b: Version): number {
  const key = (v: Version): number[] => [
    v.pre === undefined ? (v.dev !== undefined && v.post === undefined ? -1 : 3) : v.pre[0],
    v.pre?.[1] ?? 0,
    v.post ?? -1,
    v.dev ?? Number.MAX_SAFE_INTEGER,
  ];
  const head = Math.sign(a.epoch - b.epoch) || compareRelease(a.release, b.release);
  if (head !== 0) return head;
  const [ka, kb] = [key(a), key(b)];
  for (let i = 0; i < ka.length; i++) {
    const d = (ka[i] ?? 0) - (kb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

function matches(installed: string, op: Operator, wanted: string): boolean {
  if (op === "===") return installed === wanted;
  if ((op === "==" || op === "!=") && wanted.endsWith(".*")) {
    const prefix = parseVersion(wanted.slice(0, -2));
    const have = parseVersion(installed);
    const equal = prefix !== undefined && have !== undefined && have.epoch === prefix.epoch && compareRelease(have.release.slice(0, prefix.release.length), prefix.release) === 0;
    return op === "==" ? equal : !equal;
  }
  const have = parseVersion(installed);
  const want = parseVersion(wanted);
  if (have === undefined || want === undefined) return false;
  const c = compareVersions(have, want);
  switch (op) {
    case "==": return c === 0;
    case "!=": return c !== 0;
    case "<=": return c <= 0;
    case ">=": return c >= 0;
    case "<": return c < 0;
    case ">": return c > 0;
    case "~=": {
      // Compatible release: >= wanted and the same release up to its next-to-last part.
      const prefix = want.release.slice(0, Math.max(1, want.release.length - 1));
      return c >= 0 && compareRelease(have.release.slice(0, prefix.length), prefix) === 0;
    }
  }
}

/** Whether a package installed at VERSION satisfies the requirement (Ansible's is_satisfied_by). */
export function satisfiedBy(req: Requirement, version: string): boolean {
  return req.name !== undefined && req.specs.every((s) => matches(version, s.op, s.version));
}

/** Whether `pip list --format=freeze` lines show the requirement installed (Ansible's _is_present). */
export function isPresent(req: Requirement, freeze: readonly string[]): boolean {
  return freeze.some((line) => {
    const at = line.indexOf("==");
    return at > 0 && canonicalName(line.slice(0, at)) === req.name && satisfiedBy(req, line.slice(at + 2));
  });
}
