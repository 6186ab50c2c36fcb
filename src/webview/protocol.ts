// The messages between the detail page and the extension host. Both sides import
// these types; the host runs every incoming message through parseFromWebview.

/** Messages the page sends to the host. */
export type FromWebview =
  | { readonly type: 'openPaper'; readonly key: string }
  | { readonly type: 'copyBibtex'; readonly key: string }
  | { readonly type: 'insertCitation'; readonly key: string }
  | { readonly type: 'goToEntry'; readonly key: string }
  | { readonly type: 'addToBibliography'; readonly key: string }
  | { readonly type: 'openExternal'; readonly url: string }
  | { readonly type: 'back' }
  | { readonly type: 'forward' };

/** State the page persists for restoring the panel after a reload. */
export interface DetailPanelState {
  readonly key: string;
}

const KEY_RE = /^[^\s{}(),"#%'=\\]{1,200}$/;

/** A citation key as we accept it from outside: no whitespace, braces or quotes, 200 chars at most. */
export function isValidKey(value: unknown): value is string {
  return typeof value === 'string' && KEY_RE.test(value);
}

/** Validates an untrusted message; anything that is not exactly one of ours is undefined. */
export function parseFromWebview(message: unknown): FromWebview | undefined {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return undefined;
  }
  const m = message as Record<string, unknown>;
  switch (m.type) {
    case 'openPaper':
    case 'copyBibtex':
    case 'insertCitation':
    case 'goToEntry':
    case 'addToBibliography':
      return isValidKey(m.key) ? { type: m.type, key: m.key } : undefined;
    case 'openExternal':
      return typeof m.url === 'string' && m.url.length <= 2048 ? { type: 'openExternal', url: m.url } : undefined;
    case 'back':
    case 'forward':
      return Object.keys(m).length === 1 ? { type: m.type } : undefined;
    default:
      return undefined;
  }
}

/** Validates restored panel state. */
export function parseDetailState(state: unknown): DetailPanelState | undefined {
  if (typeof state !== 'object' || state === null) {
    return undefined;
  }
  const key = (state as Record<string, unknown>).key;
  return isValidKey(key) ? { key } : undefined;
}

/**
 * Messages the Library overview page sends to the host. `ready`: the page has loaded
 * (again, after being hidden) showing the body of this version.
 */
export type FromOverview =
  | { readonly type: 'filterLibrary'; readonly groups: readonly string[]; readonly label: string }
  | { readonly type: 'openPaper'; readonly key: string }
  | { readonly type: 'ready'; readonly version: number };

/**
 * What the host sends the Library overview page: a newer body (trusted HTML built from
 * escaped values), drawn in place so that focus, scrolling and open tables stay.
 */
export interface ToOverview {
  readonly type: 'body';
  readonly version: number;
  readonly html: string;
}

const GROUP_ID_RE = /^(year|venue|author|topic|source):[^\n]{0,500}$/;

/** Validates an untrusted overview message: group ids of the Library's groupings, a short label, or a key. */
export function parseFromOverview(message: unknown): FromOverview | undefined {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return undefined;
  }
  const m = message as Record<string, unknown>;
  if (m.type === 'openPaper') {
    return isValidKey(m.key) ? { type: 'openPaper', key: m.key } : undefined;
  }
  if (m.type === 'ready') {
    return Number.isSafeInteger(m.version) && (m.version as number) >= 0 ? { type: 'ready', version: m.version as number } : undefined;
  }
  if (m.type === 'filterLibrary') {
    const groups = m.groups;
    if (!Array.isArray(groups) || groups.length === 0 || groups.length > 3 || !groups.every((g) => typeof g === 'string' && GROUP_ID_RE.test(g))) {
      return undefined;
    }
    if (typeof m.label !== 'string' || m.label.length === 0 || m.label.length > 200) {
      return undefined;
    }
    return { type: 'filterLibrary', groups: groups as string[], label: m.label };
  }
  return undefined;
}
