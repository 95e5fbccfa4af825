import { utf8 } from './base64.js';
import { DirektError, type AssetMetadata } from './models.js';

/** Upload progress: bytes of the request body sent so far, of the total. */
export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface UploadRequest {
  url: string;
  method: 'POST' | 'PUT';
  /** `Authorization: Bearer …` (an upload token, or an API key for back ends). */
  bearer?: string;
  file: Blob | Uint8Array;
  fileName?: string;
  metadata?: AssetMetadata;
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

export interface UploadResponse {
  status: number;
  body: string;
  location: string | null;
}

const chunkSize = 64 * 1024;

function quote(name: string): string {
  return name.replace(/["\r\n\\]/g, '_');
}

/** The multipart/form-data body the server reads: a part `asset` (the bytes) and optionally a part `metadata` (JSON). */
export async function multipartBody(file: Blob | Uint8Array, fileName: string, metadata?: AssetMetadata): Promise<{ boundary: string; body: Uint8Array }> {
  const random = new Uint8Array(12);
  globalThis.crypto.getRandomValues(random);
  const boundary = `direkt-${Array.from(random, (b) => b.toString(16).padStart(2, '0')).join('')}`;
  const bytes = file instanceof Uint8Array ? file : new Uint8Array(await file.arrayBuffer());
  const type = file instanceof Uint8Array ? 'application/octet-stream' : file.type || 'application/octet-stream';
  const parts: Uint8Array[] = [];
  if (metadata) {
    parts.push(utf8(`--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\nContent-Type: application/json\r\n\r\n`));
    parts.push(utf8(JSON.stringify(metadata)), utf8('\r\n'));
  }
  parts.push(utf8(`--${boundary}\r\nContent-Disposition: form-data; name="asset"; filename="${quote(fileName)}"\r\nContent-Type: ${type}\r\n\r\n`));
  parts.push(bytes, utf8(`\r\n--${boundary}--\r\n`));
  const body = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    body.set(p, o);
    o += p.length;
  }
  return { boundary, body };
}

/** In browsers: XMLHttpRequest, whose upload events are the only way to see a request body's progress. */
function sendWithXhr(request: UploadRequest, boundary: string, body: Uint8Array): Promise<UploadResponse> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(request.method, request.url);
    xhr.setRequestHeader('Content-Type', `multipart/form-data; boundary=${boundary}`);
    if (request.bearer) xhr.setRequestHeader('Authorization', `Bearer ${request.bearer}`);
    if (request.onProgress) {
      const report = request.onProgress;
      xhr.upload.onprogress = (e) => report({ loaded: e.loaded, total: e.lengthComputable ? e.total : body.length });
    }
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText, location: xhr.getResponseHeader('Location') });
    xhr.onerror = () => reject(new TypeError(`upload to ${request.url} failed (network error or CORS)`));
    xhr.onabort = () => reject(new DOMException('upload aborted', 'AbortError'));
    request.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(new Blob([body as BlobPart]));
  });
}

/** Elsewhere (Node ≥ 20): fetch with a streamed body, counting each chunk as the connection takes it. */
async function sendWithFetch(request: UploadRequest, boundary: string, body: Uint8Array): Promise<UploadResponse> {
  let offset = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= body.length) {
        controller.close();
        return;
      }
      const end = Math.min(body.length, offset + chunkSize);
      controller.enqueue(body.slice(offset, end));
      offset = end;
      request.onProgress?.({ loaded: offset, total: body.length });
    },
  });
  const headers: Record<string, string> = {
    'Content-Type': `multipart/form-data; boundary=${boundary}`,
    'Content-Length': String(body.length),
  };
  if (request.bearer) headers.Authorization = `Bearer ${request.bearer}`;
  const response = await fetch(request.url, {
    method: request.method, headers, body: stream, signal: request.signal, duplex: 'half',
  } as RequestInit & { duplex: 'half' });
  return { status: response.status, body: await response.text(), location: response.headers.get('Location') };
}

/** Sends an upload; resolves with the answer's status, body and Location, or throws {@link DirektError} for a problem. */
export async function sendUpload(request: UploadRequest): Promise<UploadResponse> {
  const fileName = request.fileName ?? ((request.file as { name?: string }).name || 'upload');
  const { boundary, body } = await multipartBody(request.file, fileName, request.metadata);
  const useXhr = typeof XMLHttpRequest !== 'undefined';
  const response = useXhr ? await sendWithXhr(request, boundary, body) : await sendWithFetch(request, boundary, body);
  if (response.status >= 400) throw DirektError.fromBody(response.status, response.body);
  return response;
}
