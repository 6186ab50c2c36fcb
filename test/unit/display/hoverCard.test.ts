import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandLink, escapeMarkdown, lookupMarkdown, paperHoverMarkdown, unknownKeyMarkdown } from '../../../src/core/display/hoverCard';
import { bundledIndex, makePaper } from '../helpers';

/** Markdown links in a card: [label](target), skipping escaped brackets. */
function links(md: string): string[] {
  return [...md.matchAll(/(?<!\\)\[((?:\\.|[^\]\\])*)\]\(([^)\s]*)\)/g)].map((m) => m[2]);
}

describe('hover cards', () => {
  it('shows title, authors, year, venue, arXiv link, abstract and our three links', () => {
    const md = paperHoverMarkdown(bundledIndex().byKey('laborieux2023improving')!, { abstractLength: 400 });
    assert.match(md, /^\*\*Improving equilibrium propagation/);
    assert.match(md, /Laborieux, Zenke · 2023 · ICLR 2024 · \[arXiv:2309\\\.02214\]\(https:\/\/arxiv\.org\/abs\/2309\.02214\)/);
    const targets = links(md);
    assert.deepEqual(
      targets.map((t) => t.replace(/\?.*/, '')),
      ['https://arxiv.org/abs/2309.02214', 'command:paperscope.openPaper', 'command:paperscope.insertCitation', 'command:paperscope.copyBibtex'],
    );
    assert.equal(decodeURIComponent(targets[1].split('?')[1]), '["laborieux2023improving"]');
  });

  it('cuts the abstract to the configured length at a word boundary', () => {
    const paper = makePaper({ title: 'T', abstract: 'word '.repeat(500) });
    const md = paperHoverMarkdown(paper, { abstractLength: 100 });
    const abstractLine = md.split('\n\n')[2];
    assert.ok(abstractLine.replace(/\\/g, '').length <= 101, abstractLine);
    assert.ok(abstractLine.endsWith('…'));
  });

  it('handles a 1 MB abstract', () => {
    const md = paperHoverMarkdown(makePaper({ title: 'T', abstract: 'x'.repeat(1_000_000) }), { abstractLength: 400 });
    assert.ok(md.length < 2000);
  });

  it('shows hostile data literally: no links, HTML, icons or emphasis from data', () => {
    const hostile = makePaper({
      key: 'evil',
      title: '[x](command:workbench.action.terminal.new) <a href="command:foo">a</a><img src=x onerror=alert(1)>',
      authors: ['$(warning) $(check)', '[y](javascript:alert(1))'],
      venue: '{\\"u}ber *bold* _x_ [y](z) # | \\\\ file:///etc/passwd vscode://x',
      abstract: '![](file:///etc/passwd) &#x6A;avascript: <script>alert(1)</script>',
    });
    const md = paperHoverMarkdown(hostile, { abstractLength: 400 });
    for (const target of links(md)) {
      assert.match(target, /^command:paperscope\.(openPaper|insertCitation|copyBibtex)\?/, target);
    }
    assert.doesNotMatch(md, /(?<!\\)[<>]/, 'no raw angle brackets');
    assert.match(md, /\$\\\(check\\\)/, 'icon syntax kept as text (cards never enable theme icons)');
    assert.doesNotMatch(md, /(?<!\\)&#/, 'no entities');
  });

  it('keeps a hostile key inside its command link arguments', () => {
    const key = '")]%22\nx](command:evil)';
    const link = commandLink('Open', 'paperscope.openPaper', [key]);
    const target = /\]\((command:[^)\s]*)\)$/.exec(link)?.[1];
    assert.ok(target, link);
    assert.deepEqual(JSON.parse(decodeURIComponent(target!.split('?')[1])), [key]);
    const unknown = unknownKeyMarkdown(key);
    assert.deepEqual(links(unknown).map((t) => t.replace(/\?.*/, '')), ['command:paperscope.searchPapers']);
  });

  it('escapes every Markdown special character', () => {
    assert.equal(escapeMarkdown('*a* _b_ [c](d) <e> $(f) `g` #h'), '\\*a\\* \\_b\\_ \\[c\\]\\(d\\) \\<e\\> $\\(f\\) \\`g\\` \\#h');
  });

  it('offers "Look up online" for an identifier the library lacks, as one command link with the identifier', () => {
    const md = lookupMarkdown('doi', '10.1016/0021-9991(86)90093-8');
    assert.ok(md.replace(/\\(.)/g, '$1').startsWith('doi:10.1016/0021-9991(86)90093-8 is not in your library — '), md);
    const targets = links(md);
    assert.equal(targets.length, 1);
    assert.equal(targets[0].split('?')[0], 'command:paperscope.lookupIdentifier');
    assert.deepEqual(JSON.parse(decodeURIComponent(targets[0].split('?')[1])), ['doi:10.1016/0021-9991(86)90093-8']);
    // An id that tries to end the link is still one argument.
    const hostile = lookupMarkdown('doi', '10.1234/x)](command:evil)');
    assert.deepEqual(links(hostile).map((t) => t.split('?')[0]), ['command:paperscope.lookupIdentifier']);
  });
});
