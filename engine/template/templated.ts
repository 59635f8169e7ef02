/** Whether a value needs the template engine at all: a string (anywhere inside) with `{{` or `{%`. */
export function isTemplated(value: unknown): boolean {
  if (typeof value === "string") return value.includes("{{") || value.includes("{%");
  if (Array.isArray(value)) return value.some((v) => isTemplated(v));
  if (typeof value === "object" && value !== null) return Object.values(value).some((v) => isTemplated(v));
  return false;
}

/**
 * The expression of a string that is exactly one `{{ expr }}` (whitespace around allowed), else undefined.
 * Such strings evaluate to the expression's native value (a number stays a number), as Ansible does.
 * String literals and dict braces inside the expression are skipped, as the lexer does (see lexer.ts).
 */
export function singleExpression(text: string): string | undefined {
  const start = text.indexOf("{{");
  if (start < 0 || text.slice(0, start).trim() !== "") return undefined;
  let depth = 0;
  let quote = "";
  for (let i = start + 2; i < text.length; i++) {
    const c = text.charAt(i);
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "{") depth++;
    else if (c === "}" && depth > 0) depth--;
    else if (c === "}" && text.charAt(i + 1) === "}") {
      if (text.slice(i + 2).trim() !== "") return undefined;
      return text.slice(start + 2, i).replace(/^-/, "").replace(/-$/, "");
    }
  }
  return undefined;
}
