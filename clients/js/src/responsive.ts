import { mimeType, type ImageFormat, type Transformation } from './transformation.js';

/** Builds a variant URL for a transformation (the client's `url`, bound to a path). */
export type UrlFor = (t: Transformation) => Promise<string>;

/** A `sizes` attribute: media conditions with their slot widths, then the default ("(min-width: 800px) 50vw, 100vw"). */
export function sizes(rules: ReadonlyArray<{ media: string; size: string }>, fallback = '100vw'): string {
  return [...rules.map((r) => `${r.media} ${r.size}`), fallback].join(', ');
}

/** A width-descriptor srcset ("…?w=320 320w, …?w=640 640w"): one variant per width. */
export async function srcsetByWidth(urlFor: UrlFor, widths: readonly number[], t: Transformation = {}): Promise<string> {
  const sorted = [...new Set(widths)].sort((a, b) => a - b);
  if (sorted.length === 0 || sorted.some((w) => !Number.isInteger(w) || w < 1)) throw new RangeError('widths must be positive integers');
  const entries = await Promise.all(sorted.map(async (w) => `${await urlFor({ ...t, w })} ${w}w`));
  return entries.join(', ');
}

/** A density srcset for a fixed-size image ("…?w=200 1x, …?w=200&dpr=2 2x") using the server's `dpr`. */
export async function srcsetByDensity(urlFor: UrlFor, t: Transformation, densities: readonly number[] = [1, 2, 3]): Promise<string> {
  if (t.w === undefined && t.h === undefined) throw new RangeError('a density srcset needs w or h');
  const entries = await Promise.all(densities.map(async (d) => `${await urlFor(d === 1 ? t : { ...t, dpr: d })} ${d}x`));
  return entries.join(', ');
}

export interface PictureOptions {
  /** Widths offered in every srcset. */
  widths: readonly number[];
  /** The `sizes` attribute (default "100vw"). */
  sizes?: string;
  /** Modern formats offered as `<source>`s, best first (default avif, webp). */
  formats?: readonly ImageFormat[];
  /** The `<img>` fallback format (default jpg). */
  fallback?: ImageFormat;
  /** Other transformation parameters applied to every variant (fit, q, …). */
  transformation?: Transformation;
  alt?: string;
}

export interface PictureSource {
  type: string;
  srcset: string;
  sizes: string;
}

export interface Picture {
  sources: PictureSource[];
  img: { src: string; srcset: string; sizes: string; alt: string };
}

/** The `<source>`s (one per modern format) and the `<img>` of a `<picture>`; the browser picks format and width. */
export async function picture(urlFor: UrlFor, options: PictureOptions): Promise<Picture> {
  const size = options.sizes ?? '100vw';
  const t = options.transformation ?? {};
  const formats = options.formats ?? ['avif', 'webp'];
  const fallback = options.fallback ?? 'jpg';
  const sources = await Promise.all(formats.map(async (format) => ({
    type: mimeType(format), srcset: await srcsetByWidth(urlFor, options.widths, { ...t, format }), sizes: size,
  })));
  const largest = Math.max(...options.widths);
  return {
    sources,
    img: {
      src: await urlFor({ ...t, format: fallback, w: largest }),
      srcset: await srcsetByWidth(urlFor, options.widths, { ...t, format: fallback }),
      sizes: size,
      alt: options.alt ?? '',
    },
  };
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The `<picture>` as HTML (for server-side rendering), attributes escaped. */
export function pictureHtml(p: Picture): string {
  const sources = p.sources.map((s) => `<source type="${escape(s.type)}" srcset="${escape(s.srcset)}" sizes="${escape(s.sizes)}">`);
  const img = `<img src="${escape(p.img.src)}" srcset="${escape(p.img.srcset)}" sizes="${escape(p.img.sizes)}" alt="${escape(p.img.alt)}">`;
  return `<picture>${sources.join('')}${img}</picture>`;
}
