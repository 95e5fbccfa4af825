import { fromBase64 } from './base64.js';
import type { Pixels } from './pixels.js';

/** Reads the quantised AC coefficients of one channel, nibble by nibble, in the encoder's triangular order. */
class Nibbles {
  private index = 0;
  constructor(private readonly bytes: Uint8Array, private readonly start: number) {}

  channel(nx: number, ny: number, scale: number): number[] {
    const ac: number[] = [];
    for (let cy = 0; cy < ny; cy++) {
      for (let cx = cy ? 0 : 1; cx * ny < nx * (ny - cy); cx++) {
        const byte = this.bytes[this.start + (this.index >> 1)] ?? 0;
        const nibble = (byte >> ((this.index & 1) << 2)) & 15;
        this.index++;
        ac.push((nibble / 7.5 - 1) * scale);
      }
    }
    return ac;
  }
}

/**
 * Decodes a ThumbHash (the server's `Direkt-LQIP-Thumbhash` or `lqip.thumbhash`: standard Base64, padding optional, or the
 * raw bytes) into RGBA pixels at most 32 px on the longer side, in the image's aspect ratio.
 */
export function decodeThumbhash(hash: string | Uint8Array): Pixels {
  const h = typeof hash === 'string' ? fromBase64(hash) : hash;
  if (h.length < 5) throw new TypeError('not a ThumbHash: too short');
  const header24 = h[0] | (h[1] << 8) | (h[2] << 16);
  const header16 = h[3] | (h[4] << 8);
  const lDc = (header24 & 63) / 63;
  const pDc = ((header24 >> 6) & 63) / 31.5 - 1;
  const qDc = ((header24 >> 12) & 63) / 31.5 - 1;
  const lScale = ((header24 >> 18) & 31) / 31;
  const hasAlpha = header24 >> 23 !== 0;
  const pScale = ((header16 >> 3) & 63) / 63;
  const qScale = ((header16 >> 9) & 63) / 63;
  const landscape = header16 >> 15 !== 0;
  const lx = Math.max(3, landscape ? (hasAlpha ? 5 : 7) : header16 & 7);
  const ly = Math.max(3, landscape ? header16 & 7 : hasAlpha ? 5 : 7);
  const aDc = hasAlpha ? (h[5] & 15) / 15 : 1;
  const aScale = (h[5] >> 4) / 15;

  const nibbles = new Nibbles(h, hasAlpha ? 6 : 5);
  const lAc = nibbles.channel(lx, ly, lScale);
  const pAc = nibbles.channel(3, 3, pScale * 1.25);
  const qAc = nibbles.channel(3, 3, qScale * 1.25);
  const aAc = hasAlpha ? nibbles.channel(5, 5, aScale) : [];

  // The aspect ratio the header approximates (before the minimum of 3 components).
  const ratioX = landscape ? (hasAlpha ? 5 : 7) : header16 & 7;
  const ratioY = landscape ? header16 & 7 : hasAlpha ? 5 : 7;
  const ratio = ratioX / ratioY;
  const width = Math.round(ratio > 1 ? 32 : 32 * ratio);
  const height = Math.round(ratio > 1 ? 32 / ratio : 32);

  const rgba = new Uint8ClampedArray(width * height * 4);
  const cxMax = Math.max(lx, hasAlpha ? 5 : 3);
  const cyMax = Math.max(ly, hasAlpha ? 5 : 3);
  const fx = new Array<number>(cxMax);
  const fy = new Array<number>(cyMax);
  for (let y = 0, o = 0; y < height; y++) {
    for (let x = 0; x < width; x++, o += 4) {
      let l = lDc, p = pDc, q = qDc, a = aDc;
      for (let cx = 0; cx < cxMax; cx++) fx[cx] = Math.cos((Math.PI / width) * (x + 0.5) * cx);
      for (let cy = 0; cy < cyMax; cy++) fy[cy] = Math.cos((Math.PI / height) * (y + 0.5) * cy);

      for (let cy = 0, j = 0; cy < ly; cy++) {
        const fy2 = fy[cy] * 2;
        for (let cx = cy ? 0 : 1; cx * ly < lx * (ly - cy); cx++, j++) l += lAc[j] * fx[cx] * fy2;
      }
      for (let cy = 0, j = 0; cy < 3; cy++) {
        const fy2 = fy[cy] * 2;
        for (let cx = cy ? 0 : 1; cx < 3 - cy; cx++, j++) {
          const f = fx[cx] * fy2;
          p += pAc[j] * f;
          q += qAc[j] * f;
        }
      }
      if (hasAlpha) {
        for (let cy = 0, j = 0; cy < 5; cy++) {
          const fy2 = fy[cy] * 2;
          for (let cx = cy ? 0 : 1; cx < 5 - cy; cx++, j++) a += aAc[j] * fx[cx] * fy2;
        }
      }
      const b = l - (2 / 3) * p;
      const r = (3 * l - b + q) / 2;
      const g = r - q;
      rgba[o] = Math.max(0, 255 * Math.min(1, r));
      rgba[o + 1] = Math.max(0, 255 * Math.min(1, g));
      rgba[o + 2] = Math.max(0, 255 * Math.min(1, b));
      rgba[o + 3] = Math.max(0, 255 * Math.min(1, a));
    }
  }
  return { width, height, rgba };
}
