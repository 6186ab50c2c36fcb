import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderSafeMarkdown } from '../../../src/core/display/markdown';
import { safeExternalUrl } from '../../../src/core/display/html';
import { renderDetailBody } from '../../../src/webview/detailBody';
import { buildWebviewHtml, createNonce } from '../../../src/webview/html';
import { parseDetailState, parseFromWebview } from '../../../src/webview/protocol';
import { makePaper } from '../helpers';

const ALLOWED_TAGS = new Set(
  'p em strong a code pre ul ol li blockquote h1 h2 h3 h4 h5 h6 hr br del table thead tbody tr th td main header section span button div template'.split(' '),
);

/**
 * Rendered HTML built from data is inert when every tag is one Markdown produces, no
 * tag carries an event handler, and every link attribute is http(s) or mailto.
 * (Escaped text such as `&lt;img onerror&gt;` is not a tag and is fine.)
 */
function assertInert(html: string): void {
  for (const m of html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)) {
    const [tag, name, attrs] = m;
    assert.ok(ALLOWED_TAGS.has(name.toLowerCase()), `tag <${name}> in ${html}`);
    assert.doesNotMatch(attrs, /\son[a-z]+\s*=/i, tag);
    assert.doesNotMatch(attrs, /\s(src|srcdoc|style|formaction|action)\s*=/i, tag);
    for (const href of attrs.matchAll(/\s(?:href|data-url)="([^"]*)"/gi)) {
      assert.match(href[1], /^(https?:|mailto:)/i, tag);
    }
  }
}

const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<object data="x"></object><embed src="x">',
  '<meta http-equiv="refresh" content="0;url=https://evil.example">',
  '<base href="https://evil.example/">',
  '<form action="https://evil.example"><button>go</button></form>',
  '<style>@import "https://evil.example/x.css";</style>',
  '<details open ontoggle=alert(1)>x</details>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](java&#x73;cript:alert(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[x][ref]\n\n[ref]: javascript:alert(1)',
  '![](file:///etc/passwd)',
  '![a](../../../../etc/passwd)',
  '[cmd](command:workbench.action.terminal.new)',
  '<a href="command:foo">a</a>',
  '[v](vscode:extension/evil)',
];

describe('safe Markdown rendering', () => {
  for (const payload of PAYLOADS) {
    it(`renders ${JSON.stringify(payload).slice(0, 60)} inertly`, () => {
      assertInert(renderSafeMarkdown(payload));
    });
  }

  it('shows raw HTML as text rather than dropping it', () => {
    assert.match(renderSafeMarkdown('a <b>bold</b> word'), /a &lt;b&gt;bold&lt;\/b&gt; word/);
  });

  it('keeps ordinary Markdown and https links', () => {
    const html = renderSafeMarkdown('Some *emphasis* and [a link](https://arxiv.org/abs/2309.02214).');
    assert.match(html, /<em>emphasis<\/em>/);
    assert.match(html, /<a href="https:\/\/arxiv.org\/abs\/2309.02214">a link<\/a>/);
  });

  it('cuts very long text and says so', () => {
    const html = renderSafeMarkdown('word '.repeat(200_000));
    assert.ok(html.length < 60_000);
    assert.match(html, /Shortened/);
  });

  for (const [name, text] of [
    ['deep blockquotes', '>'.repeat(10_000)],
    ['unclosed brackets', '['.repeat(50_000)],
    ['asterisks', '*'.repeat(100_000)],
    ['a link definition full of spaces', `[a]: <${' '.repeat(50_000)}`],
  ] as const) {
    it(`survives pathological input: ${name}`, () => {
      assert.equal(typeof renderSafeMarkdown(text), 'string');
    });
  }
});

describe('external URLs', () => {
  it('allows only http, https and mailto', () => {
    assert.equal(safeExternalUrl('https://arxiv.org/abs/1'), 'https://arxiv.org/abs/1');
    assert.equal(safeExternalUrl('mailto:a@b.c'), 'mailto:a@b.c');
    // Real links carry query strings: an & is no reason to hide a paper's web page.
    assert.equal(safeExternalUrl('https://ieeexplore.ieee.org/document/1?arnumber=1&tag=1'), 'https://ieeexplore.ieee.org/document/1?arnumber=1&tag=1');
    assert.equal(safeExternalUrl('https://x.org/a"b<c>'), 'https://x.org/a%22b%3Cc%3E');
    for (const bad of [
      'java&#x73;cript&#58;alert(1)',
      'https://x.org/a b',
      'http:\\\\evil.com\\x\u0000',
      'javascript:alert(1)',
      ' JaVaScRiPt:alert(1)',
      'java&#x73;cript:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html;base64,AAAA',
      'file:///etc/passwd',
      'vscode://evil',
      'command:workbench.action.terminal.new',
      '../relative',
      '',
    ]) {
      assert.equal(safeExternalUrl(bad), undefined, bad);
    }
  });
});

describe('detail page', () => {
  const hostile = makePaper({
    key: 'evil2024key',
    title: '<img src=x onerror=alert(1)> [x](command:workbench.action.terminal.new)',
    authors: ['<script>alert(1)</script>', 'Bob "quote" O\'Neil'],
    venue: '<svg onload=alert(1)>',
    url: 'javascript:alert(1)',
    arxiv: '2309.02214',
    abstract: PAYLOADS.join('\n\n'),
  });

  it('escapes every field and renders the abstract safely', () => {
    const body = renderDetailBody(hostile, '@misc{x, title={<script>}}', [
      makePaper({ key: 'other', title: '<iframe src=x>' }),
    ]);
    assertInert(body);
    assert.match(body, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.match(body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.doesNotMatch(body, /Web page/, 'a javascript: url must not become a link');
    assert.match(body, /data-url="https:\/\/arxiv.org\/abs\/2309.02214"/);
  });

  it('wraps pages in a CSP with default-src none and a fresh nonce per render', () => {
    const page = { cspSource: 'vscode-resource:', title: '<t>', body: '', scriptUris: ['s.js'], styleUris: ['c.css'] };
    const a = buildWebviewHtml(page);
    const b = buildWebviewHtml(page);
    const nonceOf = (html: string) => /script-src 'nonce-([0-9a-f]+)'/.exec(html)?.[1];
    assert.match(a, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
    assert.ok(nonceOf(a) && nonceOf(a)!.length === 32);
    assert.notEqual(nonceOf(a), nonceOf(b));
    assert.match(a, new RegExp(`<script nonce="${nonceOf(a)}" src="s.js">`));
    assert.match(a, /<title>&lt;t&gt;<\/title>/);
    assert.notEqual(createNonce(), createNonce());
  });
});

describe('webview messages', () => {
  it('accepts exactly the protocol', () => {
    assert.deepEqual(parseFromWebview({ type: 'openPaper', key: 'a2020b' }), { type: 'openPaper', key: 'a2020b' });
    assert.deepEqual(parseFromWebview({ type: 'copyBibtex', key: 'a2020b', extra: 1 }), {
      type: 'copyBibtex',
      key: 'a2020b',
    });
    assert.deepEqual(parseFromWebview({ type: 'openExternal', url: 'https://x.org' }), {
      type: 'openExternal',
      url: 'https://x.org',
    });
  });

  it('rejects everything else', () => {
    for (const bad of [
      null,
      undefined,
      42,
      'openPaper',
      [],
      { command: 'workbench.action.terminal.new' },
      { type: 'unknown' },
      { type: 'open', id: 42 },
      { type: 'openPaper', key: 42 },
      { type: 'openPaper', key: 'a b' },
      { type: 'openPaper', key: '")]%22\n' },
      { type: 'openPaper', key: 'x'.repeat(201) },
      { type: 'openExternal', url: 7 },
      { type: 'openExternal', url: `https://${'a'.repeat(3000)}` },
    ]) {
      assert.equal(parseFromWebview(bad), undefined, JSON.stringify(bad));
    }
  });

  it('restores only a valid saved state', () => {
    assert.deepEqual(parseDetailState({ key: 'a2020b' }), { key: 'a2020b' });
    assert.equal(parseDetailState({ key: 'a b' }), undefined);
    assert.equal(parseDetailState(null), undefined);
  });
});
