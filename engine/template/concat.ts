/**
 * What a templated value becomes, as Ansible 2.14 decides it without jinja2_native (ansible_eval_concat): the
 * rendered text, read back as a Python literal when it starts with `[` or `{` or is `True`/`False`, and kept as text
 * when it does not read; a number becomes its text ("{{ n + 1 }}" is "6"). The text of the string-type filters
 * (Ansible's STRING_TYPE_FILTERS, NativeJinjaText) stays text when it is all the template renders.
 */
import { literalValue, NOT_LITERAL } from "./py-literal.js";

/** Ansible's STRING_TYPE_FILTERS default (json and ppretty are not filters here). */
export const STRING_TYPE_FILTERS: ReadonlySet<string> = new Set(["string", "to_json", "to_nice_json", "to_yaml", "to_nice_yaml"]);

/** The texts string-type filters made during the render under way (a variable's nested render adds to its reader's). */
let keptTexts: Set<string> | undefined;

const stringTypeFilters = new WeakSet<object>();

/** Registers one of STRING_TYPE_FILTERS' functions (the same function: its other declarations hold). */
export function stringTypeFilter<F extends object>(filter: F): F {
  stringTypeFilters.add(filter);
  return filter;
}

/**
 * Notes what a call (filter, test, method) returned: a string-type filter's text is kept as text; text any other
 * callee returns is not, even when it is the same text (`to_json | trim` reads back as a list, as in Ansible).
 */
export function noteCallResult(callee: object, out: unknown): unknown {
  if (typeof out === "string") {
    if (stringTypeFilters.has(callee)) keptTexts?.add(out);
    else keptTexts?.delete(out);
  }
  return out;
}

/** Runs a render, with the texts string-type filters made in it; they count for the enclosing render too. */
export function withKeptTexts<T>(render: () => T): { result: T; kept: ReadonlySet<string> } {
  const outer = keptTexts;
  const own = new Set<string>();
  keptTexts = own;
  try {
    return { result: render(), kept: own };
  } finally {
    keptTexts = outer;
    for (const text of own) outer?.add(text);
  }
}

/** Rendered text as Ansible's eval concat reads it: a list, dict or boolean when it is one in Python, else the text. */
export function textValue(text: string): unknown {
  if (!(text.startsWith("[") || text.startsWith("{") || text === "True" || text === "False")) return text;
  const value = literalValue(text);
  return value === NOT_LITERAL ? text : value;
}
