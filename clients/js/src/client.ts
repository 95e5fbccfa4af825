import type { AssetInfo, AssetLink, AssetMetadata } from './models.js';
import { DirektError } from './models.js';
import { picture, srcsetByDensity, srcsetByWidth, type Picture, type PictureOptions } from './responsive.js';
import { signUrl, type SigningAlgorithm } from './signing.js';
import { transformationQuery, type Transformation } from './transformation.js';
import { sendUpload, type UploadProgress } from './upload.js';

/** Which asset of a path: the newest created (default), the most recently modified, or one entry. */
export type Selector = 'new' | 'modified' | { entry: number };

/** What a fetch returns: the bytes inline, as an attachment, a redirect to them, the information or a link. */
export type ReturnFormat = 'content' | 'download' | 'redirect' | 'info' | 'link';

export interface DirektOptions {
  /** The server's public URL ("https://img.example.com"), or "" for URLs relative to the page's origin. */
  baseUrl: string;
  /** `url-signing.secret-key`, for back ends that sign URLs; never give it to a browser. */
  signingKey?: string;
  signingAlgorithm?: SigningAlgorithm;
  /** An API key (`auth.api-keys`), for back ends: uploads, updates, deletes, minting tokens with POST /tokens. */
  apiKey?: string;
}

export interface UploadOptions {
  /** An upload token (from a back end) or, for back ends, omit it to use the API key. */
  token?: string;
  metadata?: AssetMetadata;
  fileName?: string;
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

const pathPattern = /^(\/[A-Za-z0-9_.~-]{1,128}){1,32}$/;

/** The path of an asset URL: `/assets{path}[/-/{selector}][/{how}]`. */
export function assetPath(path: string, how: ReturnFormat = 'content', selector: Selector = 'new'): string {
  if (!pathPattern.test(path) || path.split('/').some((s) => s === '.' || s === '..' || s === '-')) {
    throw new RangeError(`'${path}' is not a Direkt asset path (segments of A–Z a–z 0–9 _ . ~ -, starting with /)`);
  }
  const what = typeof selector === 'object' ? `entry/${selector.entry}` : selector;
  if (what === 'new' && how === 'link') return `/assets${path}`;
  return `/assets${path}/-/${what}/${how}`;
}

/** Direkt's HTTP API: URLs (signed when a key is given), srcsets, `<picture>` sources, uploads, info and links. */
export class Direkt {
  private readonly baseUrl: string;

  constructor(private readonly options: DirektOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /** The URL of an asset or a variant: `url('/users/1/avatar', { w: 300, format: 'webp' })`. Signed when a signing key is set. */
  async url(path: string, t?: Transformation, how: ReturnFormat = 'content', selector: Selector = 'new'): Promise<string> {
    const query = transformationQuery(t);
    const target = this.baseUrl + assetPath(path, how, selector) + (query ? `?${query}` : '');
    return this.options.signingKey ? signUrl(target, this.options.signingKey, this.options.signingAlgorithm) : target;
  }

  /** `srcset` with one width descriptor per width. */
  srcset(path: string, widths: readonly number[], t?: Transformation, selector: Selector = 'new'): Promise<string> {
    return srcsetByWidth((v) => this.url(path, v, 'content', selector), widths, t);
  }

  /** `srcset` with density descriptors (1x, 2x, 3x) for a fixed-size image, through `dpr`. */
  densitySrcset(path: string, t: Transformation, densities?: readonly number[], selector: Selector = 'new'): Promise<string> {
    return srcsetByDensity((v) => this.url(path, v, 'content', selector), t, densities);
  }

  /** The `<source>`s per format and the `<img>` of a `<picture>`. */
  picture(path: string, options: PictureOptions, selector: Selector = 'new'): Promise<Picture> {
    return picture((v) => this.url(path, v, 'content', selector), options);
  }

  /** The asset information; with `limit`, an array (newest first). */
  async info(path: string, selector: Selector = 'new'): Promise<AssetInfo> {
    return this.getJson<AssetInfo>(await this.url(path, undefined, 'info', selector));
  }

  /** A link to the content (a variant's when `t` is given), with alt and placeholders. */
  async link(path: string, t?: Transformation, selector: Selector = 'new'): Promise<AssetLink> {
    return this.getJson<AssetLink>(await this.url(path, t, 'link', selector));
  }

  /** Stores an image at a path (POST): in browsers with upload progress; with a token, or the API key. */
  async upload(path: string, file: Blob | Uint8Array, options: UploadOptions = {}): Promise<AssetInfo> {
    const response = await sendUpload({
      url: this.baseUrl + `/assets${path}`, method: 'POST', bearer: options.token ?? this.options.apiKey, file,
      fileName: options.fileName, metadata: options.metadata, onProgress: options.onProgress, signal: options.signal,
    });
    return JSON.parse(response.body) as AssetInfo;
  }

  /** Replaces an asset's alt, labels and tags (PUT …/-/entry/{id}). */
  async update(path: string, entryId: number, metadata: AssetMetadata): Promise<AssetInfo> {
    return this.send<AssetInfo>('PUT', `/assets${path}/-/entry/${entryId}`, metadata);
  }

  /** Deletes one entry (or, with 'new', the newest asset at the path). */
  async delete(path: string, selector: Selector = 'new'): Promise<void> {
    const what = typeof selector === 'object' ? `/-/entry/${selector.entry}` : selector === 'modified' ? '/-/modified' : '';
    await this.send<void>('DELETE', `/assets${path}${what}`);
  }

  /** Asks the server for an upload token (POST /tokens, API key required): for back ends without the token secret. */
  async createUploadToken(request: { path: string; expiresIn?: number; maxBytes?: number; types?: string[] }): Promise<{ token: string; expiresAt: string }> {
    return this.send('POST', '/tokens', request);
  }

  private async getJson<T>(url: string): Promise<T> {
    const response = await fetch(url, { headers: { Accept: 'application/json' } });
    const body = await response.text();
    if (!response.ok) throw DirektError.fromBody(response.status, body);
    return JSON.parse(body) as T;
  }

  private async send<T>(method: string, target: string, json?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.options.apiKey) headers.Authorization = `Bearer ${this.options.apiKey}`;
    if (json !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(this.baseUrl + target, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
    const body = await response.text();
    if (!response.ok) throw DirektError.fromBody(response.status, body);
    return (body ? JSON.parse(body) : undefined) as T;
  }
}
