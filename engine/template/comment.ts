/**
 * Ansible's `comment` filter: text made into a comment block of a style (plain `#`, erlang `%`, c `//`, cblock
 * `/* *\/`, xml `<!-- -->`), each part overridable (beginning, prefix, prefix_count, decoration, postfix,
 * postfix_count, end, newline), composed exactly as Ansible composes it.
 */
import { Args } from "./args.js";
import * as py from "./py.js";

interface Style {
  decoration: string;
  beginning?: string;
  end?: string;
}

const STYLES: Record<string, Style> = {
  plain: { decoration: "# " },
  erlang: { decoration: "% " },
  c: { decoration: "// " },
  cblock: { beginning: "/*", decoration: " * ", end: " */" },
  xml: { beginning: "<!--", decoration: " - ", end: "-->" },
};

export function comment(value: unknown, ...rest: unknown[]): string {
  const args = new Args(rest);
  const styleName = py.str(args.get(0, "style", "plain"));
  const style = STYLES[styleName];
  if (style === undefined) throw new Error(`comment: unknown style '${styleName}' (${Object.keys(STYLES).join(", ")})`);
  const kw = args.keywords;
  const around = (py.str(kw.decoration ?? style.decoration)).trimEnd();
  const p: Record<string, unknown> = { newline: "\n", beginning: "", prefix: around, prefix_count: 1, postfix: around, postfix_count: 1, end: "", ...style, ...kw };
  const [newline, decoration] = [py.str(p.newline), py.str(p.decoration)];
  const text = py.str(value);
  const beginning = p.beginning ? py.str(p.beginning) + newline : "";
  const prefix = p.prefix ? (p.prefix === newline ? newline : py.str(p.prefix) + newline).repeat(Number(p.prefix_count)) : "";
  // Each line behind the decoration; a line with only the decoration loses its trailing blanks.
  const body = (decoration + text.replaceAll(newline, newline + decoration)).replaceAll(decoration + newline, decoration.trimEnd() + newline);
  const postfix = ["", ...Array<string>(Number(p.postfix_count)).fill(py.str(p.postfix))].join(newline);
  const end = p.end ? newline + py.str(p.end) : "";
  return beginning + prefix + body + postfix + end;
}
