/** Placeholders of a variant (where the path's policy lists `image.lqip`). */
export interface Lqip {
  blurhash?: string;
  thumbhash?: string;
}

/** `GET /assets/{path}` (link): the content URL, signed when the server signs. */
export interface AssetLink {
  url: string;
  alt?: string;
  lqip?: Lqip;
}

export interface VariantAttributes {
  width: number;
  height: number;
  format: string;
  pageCount: number;
  loop: number;
  colorSpace: string;
  bytes: number;
}

export interface VariantInfo {
  isOriginalVariant: boolean;
  transformation?: Record<string, string>;
  storeBucket: string;
  storeKey: string;
  attributes: VariantAttributes;
  lqip?: Lqip;
}

/** The asset information (`/-/info`, and the answer of an upload). */
export interface AssetInfo {
  class: string;
  path: string;
  entryId: number;
  alt?: string;
  labels: Record<string, string>;
  tags: string[];
  source: string;
  sourceUrl?: string;
  variants: VariantInfo[];
  createdAt: string;
  modifiedAt: string;
}

/** Upload metadata: `{"alt": …, "labels": {…}, "tags": […]}`. */
export interface AssetMetadata {
  alt?: string;
  labels?: Record<string, string>;
  tags?: string[];
}

/** A problem+json answer (RFC 9457) as an error. */
export class DirektError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: Record<string, string[]> | undefined,
    readonly requestId: string | undefined,
  ) {
    super(`${status} ${title}${detail ? `: ${detail}` : ''}`);
    this.name = 'DirektError';
  }

  /** Reads a problem body (or whatever the body is) into an error. */
  static fromBody(status: number, body: string): DirektError {
    try {
      const p = JSON.parse(body) as Record<string, unknown>;
      return new DirektError(status, String(p.type ?? ''), String(p.title ?? ''), p.detail as string | undefined,
        p.errors as Record<string, string[]> | undefined, p.requestId as string | undefined);
    } catch {
      return new DirektError(status, '', `HTTP ${status}`, body.slice(0, 200) || undefined, undefined, undefined);
    }
  }
}
