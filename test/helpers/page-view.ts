/**
 * What an auditor sees of a page on opening it: headless Chromium driven over the DevTools protocol on a pipe (no
 * port, no dependency), the page laid out in a viewport of a given size, a screenshot of that viewport, and where
 * on it given phrases are drawn. A phrase is "above the fold" when the element showing it lies inside the viewport,
 * and the screenshot has ink there.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";
import { pathToFileURL } from "node:url";
import { chromiumFlags } from "./chromium.js";
import { decodePng, inkStats, type Image } from "./png.js";

export interface Box {
  top: number;
  left: number;
  width: number;
  height: number;
}

export interface PageView {
  /** The viewport's screenshot. */
  image: Image;
  /** Per phrase, the box of the innermost element showing it (its first), or null when the page does not show it. */
  boxes: Record<string, Box | null>;
}

interface Reply {
  id?: number;
  method?: string;
  result?: Record<string, unknown>;
  error?: { message: string };
}

/**
 * Runs in the page (source text: the project compiles without the DOM's types): for each phrase, the box of the
 * innermost rendered element whose text holds it, white space folded; null when none does.
 */
const LOCATE = `(phrases) => {
  const fold = (text) => text.replace(/\\s+/g, " ");
  const holds = (element, phrase) => element instanceof HTMLElement && fold(element.innerText).includes(phrase);
  return phrases.map((phrase) => {
    const element = Array.from(document.body.querySelectorAll("*")).find((e) => holds(e, phrase) && !Array.from(e.children).some((c) => holds(c, phrase)));
    if (element === undefined) return null;
    const rect = element.getBoundingClientRect();
    return { top: rect.top, left: rect.left, width: rect.width, height: rect.height };
  });
}`;

/** Opens HTML_PATH in a SIZE viewport and returns the viewport's screenshot and where PHRASES are. */
export async function viewPage(chromium: string, htmlPath: string, size: { width: number; height: number }, phrases: readonly string[]): Promise<PageView> {
  const profile = mkdtempSync(join(tmpdir(), "rems-chromium-"));
  const child = spawn(chromium, [...chromiumFlags(profile), "--remote-debugging-pipe", "about:blank"], { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] });
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const waiting = new Map<number, { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  const events: Reply[] = [];
  let buffered = "";
  fromBrowser.on("data", (chunk: Buffer) => {
    buffered += chunk.toString("utf8");
    const messages = buffered.split("\0");
    buffered = messages.pop() ?? "";
    for (const text of messages) {
      const reply = JSON.parse(text) as Reply;
      const wait = reply.id === undefined ? undefined : waiting.get(reply.id);
      if (wait === undefined) events.push(reply);
      else if (reply.error) wait.reject(new Error(reply.error.message));
      else wait.resolve(reply.result ?? {});
    }
  });
  const ended = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const exited = ended.then((code): never => {
    throw new Error(`chromium exited (${code}) before it answered:\n${stderr.slice(-2000)}`);
  });
  exited.catch(() => undefined);
  let next = 0;
  const send = (method: string, params: object = {}, sessionId?: string): Promise<Record<string, unknown>> => {
    const id = ++next;
    const answered = new Promise<Record<string, unknown>>((resolve, reject) => waiting.set(id, { resolve, reject }));
    toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId === undefined ? {} : { sessionId }) })}\0`);
    return Promise.race([answered, exited]);
  };
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  try {
    const { targetId } = await send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = (await send("Target.attachToTarget", { targetId, flatten: true })) as { sessionId: string };
    const page = (method: string, params: object = {}): Promise<Record<string, unknown>> => send(method, params, sessionId);
    await page("Emulation.setDeviceMetricsOverride", { ...size, deviceScaleFactor: 1, mobile: false });
    await page("Page.navigate", { url: pathToFileURL(htmlPath).href });
    const evaluate = async (expression: string): Promise<unknown> => ((await page("Runtime.evaluate", { expression, returnByValue: true })) as { result: { value?: unknown } }).result.value;
    for (let i = 0; (await evaluate("document.readyState")) !== "complete"; i++) {
      if (i > 200) throw new Error(`${htmlPath} did not finish loading`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const found = (await evaluate(`(${LOCATE})(${JSON.stringify(phrases)})`)) as (Box | null)[];
    const { data } = (await page("Page.captureScreenshot", { format: "png" })) as { data: string };
    await send("Browser.close").catch(() => undefined);
    return { image: decodePng(Buffer.from(data, "base64")), boxes: Object.fromEntries(phrases.map((p, i) => [p, found[i] ?? null])) };
  } finally {
    clearTimeout(timer);
    // Chromium writes its profile until it has exited: the profile goes after it.
    if (child.exitCode === null && child.signalCode === null) child.kill();
    await ended;
    rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
  }
}

/**
 * Why PHRASE is not seen on opening the page (not shown, below the fold, or its box drawn blank on the
 * screenshot), or undefined when it is.
 */
export function notAboveTheFold(view: PageView, phrase: string): string | undefined {
  const box = view.boxes[phrase];
  if (box === undefined || box === null) return `"${phrase}" is not on the page`;
  const { width, height } = view.image;
  if (box.height <= 0 || box.width <= 0) return `"${phrase}" is not drawn (an empty box)`;
  if (box.top < 0 || box.top + box.height > height || box.left < 0 || box.left + box.width > width) return `"${phrase}" is at y=${Math.round(box.top)}..${Math.round(box.top + box.height)}, outside the ${width}x${height} view`;
  const [x0, y0] = [Math.floor(box.left), Math.floor(box.top)];
  const [w, h] = [Math.min(width - x0, Math.ceil(box.width)), Math.min(height - y0, Math.ceil(box.height))];
  const pixels = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) pixels.set(view.image.pixels.subarray(((y0 + y) * width + x0) * 4, ((y0 + y) * width + x0 + w) * 4), y * w * 4);
  const { inkRatio } = inkStats({ width: w, height: h, pixels });
  return inkRatio > 0.01 ? undefined : `"${phrase}" has a box at y=${y0} but the screenshot is blank there`;
}
