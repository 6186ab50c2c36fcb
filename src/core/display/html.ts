/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Returns the URL when it parses as an absolute http(s) or mailto URL, else undefined:
 * the scheme is checked on the parsed URL (an allow-list), not by looking at characters,
 * so `https://x.org/?a=1&b=2` passes and `java&#x73;cript:` (no valid scheme) or
 * `JaVaScRiPt:` do not. Control characters and blanks inside are refused outright,
 * since the URL parser would silently drop them.
 */
export function safeExternalUrl(raw: string | undefined): string | undefined {
  if (!raw) {
    return undefined;
  }
  const url = raw.trim();
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\s]/.test(url)) {
    return undefined;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:' && parsed.protocol !== 'mailto:') {
    return undefined;
  }
  return parsed.href;
}
