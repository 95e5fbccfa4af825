import type { Pixels } from './pixels.js';

const digits = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~';

function decode83(text: string): number {
  let value = 0;
  for (const c of text) {
    const digit = digits.indexOf(c);
    if (digit < 0) throw new TypeError(`not a BlurHash: '${c}' is no base-83 digit`);
    value = value * 83 + digit;
  }
  return value;
}

function toLinear(channel: number): number {
  const v = channel / 255;
  return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
}

function toSrgb(linear: number): number {
  const v = Math.max(0, Math.min(1, linear));
  return v <= 0.0031308 ? Math.round(v * 12.92 * 255) : Math.round((1.055 * Math.pow(v, 1 / 2.4) - 0.055) * 255);
}

function signedSquare(v: number): number {
  return Math.sign(v) * v * v;
}

/** Decodes a BlurHash (the server's `Direkt-LQIP-Blurhash`, or `lqip.blurhash`) into width × height RGBA pixels. */
export function decodeBlurhash(hash: string, width = 32, height = 32, punch = 1): Pixels {
  if (hash.length < 6) throw new TypeError('not a BlurHash: too short');
  const size = decode83(hash[0]);
  const componentsX = (size % 9) + 1;
  const componentsY = Math.floor(size / 9) + 1;
  if (hash.length !== 4 + 2 * componentsX * componentsY) throw new TypeError('not a BlurHash: wrong length for its components');
  const maximum = ((decode83(hash[1]) + 1) / 166) * punch;

  const colours: number[][] = [];
  const dc = decode83(hash.slice(2, 6));
  colours.push([toLinear(dc >> 16), toLinear((dc >> 8) & 255), toLinear(dc & 255)]);
  for (let i = 1; i < componentsX * componentsY; i++) {
    const ac = decode83(hash.slice(4 + i * 2, 6 + i * 2));
    colours.push([Math.floor(ac / 361), Math.floor(ac / 19) % 19, ac % 19].map((q) => signedSquare((q - 9) / 9) * maximum));
  }

  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r = 0, g = 0, b = 0;
      for (let j = 0; j < componentsY; j++) {
        const cy = Math.cos((Math.PI * y * j) / height);
        for (let i = 0; i < componentsX; i++) {
          const basis = Math.cos((Math.PI * x * i) / width) * cy;
          const c = colours[i + j * componentsX];
          r += c[0] * basis;
          g += c[1] * basis;
          b += c[2] * basis;
        }
      }
      const o = 4 * (x + y * width);
      rgba[o] = toSrgb(r);
      rgba[o + 1] = toSrgb(g);
      rgba[o + 2] = toSrgb(b);
      rgba[o + 3] = 255;
    }
  }
  return { width, height, rgba };
}
