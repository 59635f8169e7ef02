/**
 * The bottom of the terminal as a live area: lines printed above it stay (the terminal's scrollback keeps them),
 * the area's own lines are redrawn in place. Each frame is one write: the cursor goes back to the area's first
 * line, the screen is erased from there down, then the new lines above and the area follow. The area must never be
 * taller than the screen (a line scrolled out of sight cannot be erased): the caller keeps it shorter.
 */
import type { WriteStream } from "node:tty";
import { visibleWidth } from "./style.js";

export class LiveArea {
  /** The area's lines as last drawn: how many rows to go back up depends on how they wrap at today's width. */
  private drawn: string[] = [];

  constructor(private readonly out: WriteStream) {}

  get columns(): number {
    return this.out.columns > 0 ? this.out.columns : 80;
  }

  get rows(): number {
    return this.out.rows > 0 ? this.out.rows : 24;
  }

  /** Prints ABOVE (lines that stay) and redraws the area as AREA. */
  draw(above: readonly string[], area: readonly string[]): void {
    const text = [...above, ...area].map((line) => `${line}\n`).join("");
    this.out.write(this.erase() + text);
    this.drawn = [...area];
  }

  /** Erases the area, leaving the cursor where its first line was. */
  clear(): void {
    const erase = this.erase();
    if (erase !== "") this.out.write(erase);
    this.drawn = [];
  }

  private erase(): string {
    const rows = this.drawn.reduce((sum, line) => sum + Math.max(1, Math.ceil(visibleWidth(line) / this.columns)), 0);
    // CPL (cursor to the start of the line N rows up), then ED (erase to the end of the screen).
    return rows === 0 ? "" : `\u001b[${rows}F\u001b[J`;
  }
}
