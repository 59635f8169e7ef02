/**
 * Reads a PNG with node:zlib only (no image library): enough of the format for the screenshots Chromium writes
 * (8-bit truecolor or truecolor with alpha, not interlaced), so a test can tell a rendered page from a blank one.
 */
import { inflateSync } from "node:zlib";

export interface Image {
  width: number;
  height: number;
  /** RGBA, 4 bytes a pixel, row after row. */
  pixels: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function decodePng(png: Buffer): Image {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error("not a PNG file");
  let width = 0;
  let height = 0;
  let channels = 0;
  const data: Buffer[] = [];
  for (let at = 8; at + 8 <= png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString("latin1", at + 4, at + 8);
    const body = png.subarray(at + 8, at + 8 + length);
    if (type === "IHDR") {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colorType, , , interlace] = [body[8], body[9], body[10], body[11], body[12]];
      if (depth !== 8 || interlace !== 0 || (colorType !== 2 && colorType !== 6)) {
        throw new Error(`unsupported PNG: bit depth ${depth}, color type ${colorType}, interlace ${interlace}`);
      }
      channels = colorType === 6 ? 4 : 3;
    } else if (type === "IDAT") data.push(body);
    else if (type === "IEND") break;
    at += 12 + length;
  }
  if (channels === 0) throw new Error("PNG without IHDR");
  return { width, height, pixels: unfilter(inflateSync(Buffer.concat(data)), width, height, channels) };
}

/** Undoes the per-row filters (PNG spec 9.2) and widens RGB to RGBA. */
function unfilter(raw: Buffer, width: number, height: number, channels: number): Uint8Array {
  const stride = width * channels;
  if (raw.length < height * (stride + 1)) throw new Error("PNG image data is shorter than its size says");
  const rows = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x] ?? 0;
      const left = x >= channels ? (rows[row + x - channels] ?? 0) : 0;
      const up = y > 0 ? (rows[row - stride + x] ?? 0) : 0;
      const upLeft = y > 0 && x >= channels ? (rows[row - stride + x - channels] ?? 0) : 0;
      let predicted: number;
      switch (filter) {
        case 0: predicted = 0; break;
        case 1: predicted = left; break;
        case 2: predicted = up; break;
        case 3: predicted = (left + up) >> 1; break;
        case 4: predicted = paeth(left, up, upLeft); break;
        default: throw new Error(`bad PNG filter ${filter} in row ${y}`);
      }
      rows[row + x] = (value + predicted) & 0xff;
    }
  }
  if (channels === 4) return rows;
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0, j = 0; i < rows.length; i += 3, j += 4) {
    rgba[j] = rows[i] ?? 0;
    rgba[j + 1] = rows[i + 1] ?? 0;
    rgba[j + 2] = rows[i + 2] ?? 0;
    rgba[j + 3] = 255;
  }
  return rgba;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** How much of the image is drawn: its distinct colors and the share of pixels that are not (near) white. */
export function inkStats(image: Image): { colors: number; inkRatio: number } {
  const colors = new Set<number>();
  let ink = 0;
  const { pixels } = image;
  for (let i = 0; i + 3 < pixels.length; i += 4) {
    const [r, g, b] = [pixels[i] ?? 0, pixels[i + 1] ?? 0, pixels[i + 2] ?? 0];
    colors.add((r << 16) | (g << 8) | b);
    if (r < 240 || g < 240 || b < 240) ink++;
  }
  return { colors: colors.size, inkRatio: ink / Math.max(1, image.width * image.height) };
}
