/**
 * The content of a small text file, for --diff (ansible's diff "before"). Large or binary files are reported as
 * such instead of being read, as ansible's max_diff_size does.
 */
import { sh } from "../../engine/command.js";
import { FactError } from "../../engine/errors.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";

export interface FileContentArgs {
  path: string;
}

export type FileContent =
  | { kind: "absent" }
  | { kind: "large"; size: number }
  | { kind: "binary" }
  | { kind: "text"; content: string };

/** Files larger than this are not read for a diff (ansible's DIFF max_diff_size is 100 KiB too). */
export const MAX_DIFF_BYTES = 100 * 1024;

function parseFileContent(output: ProbeOutput, args: FileContentArgs): FileContent {
  const newline = output.stdout.indexOf("\n");
  const head = newline < 0 ? output.stdout : output.stdout.slice(0, newline);
  if (output.code === 0 && head === "absent") return { kind: "absent" };
  const large = /^large (\d+)$/.exec(head);
  if (output.code === 0 && large?.[1] !== undefined) return { kind: "large", size: Number(large[1]) };
  if (output.code !== 0 || head !== "text") {
    throw new FactError(`file_content ${args.path}: unexpected output ${JSON.stringify(output.stdout.slice(0, 200))}`);
  }
  const content = output.stdout.slice(newline + 1);
  return content.includes("\0") ? { kind: "binary" } : { kind: "text", content };
}

export const fileContent = defineFact<FileContent, FileContentArgs>({
  name: "file_content",
  command: ({ path }) =>
    sh`p=${path}; if [ ! -f "$p" ]; then echo absent; else s=$(stat -L -c %s -- "$p") && if [ "$s" -gt ${MAX_DIFF_BYTES} ]; then echo "large $s"; else echo text && cat -- "$p"; fi; fi`,
  parse: parseFileContent,
});
