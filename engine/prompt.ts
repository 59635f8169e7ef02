import { InterruptedError, UsageError } from "./errors.js";

/** Reads a secret from the terminal without echoing it (for -K). */
export function promptSecret(question: string): Promise<string> {
  const input = process.stdin;
  return new Promise((resolve, reject) => {
    if (!input.isTTY) {
      reject(new UsageError("-K needs a terminal to ask for the password"));
      return;
    }
    process.stderr.write(question);
    input.setRawMode(true);
    input.resume();
    let answer = "";
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") {
          done();
          resolve(answer);
          return;
        }
        if (ch === "\u0003") {
          done();
          reject(new InterruptedError("interrupted while asking for the password"));
          return;
        }
        if (ch === "\u007f") answer = answer.slice(0, -1);
        else answer += ch;
      }
    };
    const done = (): void => {
      input.off("data", onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write("\n");
    };
    input.on("data", onData);
  });
}
