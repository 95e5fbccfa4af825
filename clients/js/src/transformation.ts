/** Output formats Direkt can be asked for (`format`); each only where the server's libvips writes it. */
export type ImageFormat = 'jpg' | 'jpeg' | 'png' | 'webp' | 'avif' | 'gif' | 'tiff' | 'tif' | 'jxl' | 'heic';

/**
 * The transformation parameters of a variant (docs/api.md, "Variants"). Every field maps to the query parameter of the same
 * name; `padColor` is `pad-c`. The server checks every value and answers 400 naming the parameter.
 */
export interface Transformation {
  /** Width, 1 to `limits.max-output-dimension`. */
  w?: number;
  /** Height, 1 to `limits.max-output-dimension`. */
  h?: number;
  /** Device pixel ratio, 1 to 4 in steps of 0.5; multiplies `w`/`h` (needs one of them). */
  dpr?: number;
  /** `fit` (inside the box, default), `fill` (= crop at the centre), `crop` (cover, at `g`), `stretch`. */
  fit?: 'fit' | 'fill' | 'crop' | 'stretch';
  /** Crop gravity. */
  g?: 'center' | 'entropy' | 'attention';
  /** Output format; without it the original's format or one negotiated through `Accept`. */
  format?: ImageFormat;
  /** Quality 1–100 for lossy formats. */
  q?: number;
  /** Clockwise rotation. */
  r?: 0 | 90 | 180 | 270 | 'auto';
  /** Flip. */
  f?: 'none' | 'h' | 'v';
  filter?: 'none' | 'grayscale' | 'black_white' | 'sepia';
  /** Gaussian sigma 0–150. */
  blur?: number;
  /** Padding 0–1000 px on every side. */
  pad?: number;
  /** `#RRGGBB` or `#RRGGBBAA` (the `pad-c` parameter). */
  padColor?: string;
  /** `none`, or a comma list of `exif`, `iptc`, `xmp` to remove. */
  strip?: 'none' | string;
  cs?: 'origin' | 'grayscale' | 'srgb' | 'p3';
  enlarge?: boolean;
  /** A name from the server's `variant-profiles`. */
  profile?: string;
}

/**
 * Each query parameter with the field that holds it, in the server's canonical key order (its parameter table). A test
 * compares the names with the server's OpenAPI document, so a parameter the server gains fails the build until it is here.
 */
export const PARAMETERS: ReadonlyArray<readonly [query: string, field: keyof Transformation]> = [
  ['w', 'w'], ['h', 'h'], ['dpr', 'dpr'], ['fit', 'fit'], ['g', 'g'], ['format', 'format'], ['q', 'q'], ['r', 'r'], ['f', 'f'],
  ['filter', 'filter'], ['blur', 'blur'], ['pad', 'pad'], ['pad-c', 'padColor'], ['strip', 'strip'], ['cs', 'cs'],
  ['enlarge', 'enlarge'], ['profile', 'profile'],
];

/** The query string of a transformation (no leading `?`): parameters in table order, values percent-encoded. */
export function transformationQuery(t: Transformation | undefined): string {
  if (!t) return '';
  const known = new Set<string>(PARAMETERS.map(([, field]) => field));
  for (const key of Object.keys(t)) {
    if (!known.has(key)) throw new TypeError(`'${key}' is not a Direkt transformation parameter`);
  }
  const parts: string[] = [];
  for (const [name, field] of PARAMETERS) {
    const value = t[field];
    if (value === undefined || value === null) continue;
    parts.push(`${name}=${encodeURIComponent(String(value))}`);
  }
  return parts.join('&');
}

/** MIME type of an output format, for `<source type>`. */
export function mimeType(format: ImageFormat): string {
  switch (format) {
    case 'jpg': case 'jpeg': return 'image/jpeg';
    case 'tif': case 'tiff': return 'image/tiff';
    default: return `image/${format}`;
  }
}
