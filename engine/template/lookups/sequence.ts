/**
 * The sequence lookup (with_sequence): numbers as formatted text, from `start=1 end=9 stride=2 format=x%02d`
 * (or count= instead of end=) or the short form `[start-]end[/stride][:format]`; numbers in decimal or 0x hex.
 */
import { splitArgs } from "../../load/key-value.js";
import { percentFormat } from "../py.js";
import { LookupError, type Lookup } from "./lookup-api.js";

const NUM = "(0[xX][0-9a-fA-F]+|[0-9]+)";
const SHORTCUT = new RegExp(`^(${NUM}-)?${NUM}(/${NUM})?(:(.+))?$`, "i");

interface Spec {
  start: number;
  end?: number;
  count?: number;
  stride: number;
  format: string;
}

/** Python's int(text, 0): decimal without leading zeros, 0x, 0o, 0b. */
function integer(name: string, text: string): number {
  const t = text.trim().replaceAll("_", "");
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0+|[1-9][0-9]*)$/.exec(t);
  if (!m) throw new LookupError(`can't parse ${name}=${text} as integer`);
  const digits = m[2] ?? "0";
  const radix = /^0[xX]/.test(digits) ? 16 : /^0[oO]/.test(digits) ? 8 : /^0[bB]/.test(digits) ? 2 : 10;
  const value = parseInt(radix === 10 ? digits : digits.slice(2), radix);
  return m[1] === "-" ? -value : value;
}

function parse(term: string): Spec {
  const spec: Spec = { start: 1, stride: 1, format: "%d" };
  const short = SHORTCUT.exec(term);
  if (short) {
    const [, , start, end, , stride, , format] = short;
    if (start !== undefined) spec.start = integer("start", start);
    if (end !== undefined) spec.end = integer("end", end);
    if (stride !== undefined) spec.stride = integer("stride", stride);
    if (format !== undefined) spec.format = format;
    return spec;
  }
  const unknown: string[] = [];
  for (const token of splitArgs(term)) {
    const { key, value = "" } = token;
    if (key === "start" || key === "end" || key === "count" || key === "stride") spec[key] = integer(key, value);
    else if (key === "format") spec.format = value;
    else unknown.push(key ?? token.raw);
  }
  if (unknown.length > 0) throw new LookupError(`unrecognized arguments to with_sequence: [${unknown.map((k) => `'${k}'`).join(", ")}]`);
  return spec;
}

function numbers(spec: Spec): number[] {
  let { start, end, stride } = spec;
  if (spec.count === undefined && end === undefined) throw new LookupError("must specify count or end in with_sequence");
  if (spec.count !== undefined && end !== undefined) throw new LookupError("can't specify both count and end in with_sequence");
  if (spec.count !== undefined) {
    if (spec.count === 0) [start, end, stride] = [0, 0, 0];
    else end = start + spec.count * stride - 1;
  }
  const last = end ?? start;
  if (stride > 0 && last < start) throw new LookupError("to count backwards make stride negative");
  if (stride < 0 && last > start) throw new LookupError("to count forward don't make stride negative");
  if ((spec.format.match(/%/g) ?? []).length !== 1) throw new LookupError(`bad formatting string: ${spec.format}`);
  // Python's range(start, end + 1, stride); a stride of 0 (count=0) gives nothing.
  const out: number[] = [];
  if (stride > 0) for (let i = start; i <= last; i += stride) out.push(i);
  else if (stride < 0) for (let i = start; i >= last; i += stride) out.push(i);
  return out;
}

export const sequence: Lookup = (terms) =>
  terms.flatMap((term) => {
    if (typeof term !== "string") throw new LookupError(`the sequence lookup takes strings, not ${typeof term}`);
    const spec = parse(term);
    return numbers(spec).map((n) => percentFormat(spec.format, [n]));
  });
