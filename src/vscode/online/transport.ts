// The one place Paperscope talks to the network: `fetch`, which both the desktop
// extension host (Node 20) and the web worker host have. Timeout, cancellation, a cap on
// the body, redirects only to http(s) (and a hop limit), UTF-8 or a clear error.
import type * as vscode from 'vscode';
import { ProviderError, type HttpRequest, type HttpResponse, type ProviderId } from '../../core/online/types';

export interface SendOptions {
  readonly provider: ProviderId;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly token?: vscode.CancellationToken;
  /** Whether a redirect from one address to another may be followed (http(s) only, whatever this says). */
  readonly allowRedirect: (from: URL, to: URL) => boolean;
}

/** How requests leave: the desktop follows redirects itself (to check them); a browser cannot and lets fetch follow. */
export interface Transport {
  send(request: HttpRequest, options: SendOptions): Promise<HttpResponse>;
}

const MAX_REDIRECTS = 5;

/** Reads a body up to `maxBytes`, failing past it (a body of hundreds of MB is refused, not buffered). */
async function readCapped(res: Response, provider: ProviderId, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new ProviderError(provider, 'format', `answered with ${(declared / 1e6).toFixed(0)} MB, more than the ${(maxBytes / 1e6).toFixed(0)} MB Paperscope reads`);
  }
  if (!res.body) {
    return new Uint8Array(0);
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new ProviderError(provider, 'format', `answered with more than the ${(maxBytes / 1e6).toFixed(0)} MB Paperscope reads`);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  return body;
}

export class FetchTransport implements Transport {
  constructor(
    /** Follow redirects here, checking each (desktop); or leave them to fetch (a browser hides them). */
    private readonly manualRedirects: boolean,
  ) {}

  async send(request: HttpRequest, options: SendOptions): Promise<HttpResponse> {
    const { provider } = options;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.timeoutMs);
    const cancel = options.token?.onCancellationRequested(() => controller.abort());
    try {
      let url = new URL(request.url);
      for (let hop = 0; ; hop++) {
        if (url.protocol !== 'http:' && url.protocol !== 'https:') {
          throw new ProviderError(provider, 'http', `was sent to a ${url.protocol} address; only http and https are followed`);
        }
        const res = await fetch(url, {
          method: request.method ?? 'GET',
          headers: { 'user-agent': 'Paperscope (VS Code extension)', ...request.headers },
          body: request.body,
          redirect: this.manualRedirects ? 'manual' : 'follow',
          signal: controller.signal,
        });
        if (this.manualRedirects && res.status >= 300 && res.status < 400 && res.headers.get('location')) {
          const next = new URL(res.headers.get('location')!, url);
          await res.body?.cancel();
          if (hop >= MAX_REDIRECTS) {
            throw new ProviderError(provider, 'http', `redirected more than ${MAX_REDIRECTS} times (a redirect loop?)`);
          }
          if ((next.protocol !== 'http:' && next.protocol !== 'https:') || !options.allowRedirect(url, next)) {
            throw new ProviderError(provider, 'http', `redirected to ${next.protocol === 'http:' || next.protocol === 'https:' ? next.host : `a ${next.protocol} address`}, which Paperscope does not follow`);
          }
          url = next;
          continue;
        }
        const bytes = await readCapped(res, provider, options.maxBytes);
        let body: string;
        try {
          body = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          throw new ProviderError(provider, 'format', 'answered with text that is not valid UTF-8');
        }
        const headers: Record<string, string> = {};
        res.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
        return { status: res.status, headers, body };
      }
    } catch (err) {
      if (err instanceof ProviderError) {
        throw err;
      }
      if (timedOut) {
        throw new ProviderError(provider, 'timeout', `did not answer within ${Math.round(options.timeoutMs / 1000)} s`);
      }
      if (options.token?.isCancellationRequested) {
        throw new ProviderError(provider, 'offline', 'request cancelled');
      }
      throw new ProviderError(provider, 'offline', `could not be reached (${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)})`);
    } finally {
      clearTimeout(timer);
      cancel?.dispose();
    }
  }
}
