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
 * Returns the URL when it is an absolute http(s) or mailto URL, else undefined.
 * Entities and control characters are rejected outright rather than decoded, so
 * `java&#x73;cript:` or `java\tscript:` never pass as something else.
 */
export function safeExternalUrl(raw: string | undefined): string | undefined {
  if (!raw) {
    return undefined;
  }
  const url = raw.trim();
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\s<>"'`&\\]/.test(url)) {
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
