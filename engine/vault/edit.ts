/**
 * Editing decrypted text in $EDITOR: the plaintext is on disk only in a 0600 file inside a fresh 0700 directory,
 * removed however the edit ends.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { splitWords } from "../cli-args.js";
import { UsageError } from "../errors.js";

/**
 * Opens `plaintext` in `editor` (a command line such as "code --wait") and returns what the file holds when the
 * editor exits. The temporary file has `file`'s name, so the editor knows its type. An editor that fails (vi's
 * `:cq`) writes nothing back: that is how one gives up an edit.
 */
export function editText(plaintext: Buffer, file: string, editor: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), "rems-vault-"));
  try {
    const path = join(dir, basename(file));
    writeFileSync(path, plaintext, { mode: 0o600, flag: "wx" });
    const [command = "vi", ...args] = splitWords(editor);
    const result = spawnSync(command, [...args, path], { stdio: "inherit" });
    if (result.error) throw new UsageError(`cannot run the editor '${editor}' ($EDITOR): ${result.error.message}`);
    if (result.status !== 0) throw new UsageError(`the editor '${editor}' failed (${result.signal ?? `exit code ${result.status ?? "?"}`}): ${file} is left as it was`);
    return readFileSync(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
