import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { libraryOverview, MAX_BARS } from '../../../src/core/display/overview';
import type { Paper } from '../../../src/core/library/paper';
import { GROUPINGS, groupPapers, paperInGroups, parseGroupId, topicLookup } from '../../../src/core/search/libraryGroups';
import { renderOverviewBody } from '../../../src/webview/overviewBody';
import { parseFromOverview } from '../../../src/webview/protocol';
import { bundledPapers, makePaper } from '../helpers';

const own = (fields: Partial<Paper> & { title: string; id: number }): Paper =>
  makePaper({ ...fields, source: 'user', origin: { file: 'file:///w/mine.bib', line: 1, key: fields.key ?? 'k', bibtex: '' } });

describe('library overview', () => {
  const papers = bundledPapers();
  const topicOf = topicLookup(papers);

  it('stacks each year by source, fills gaps, and adds up to the library', () => {
    const mixed = [
      makePaper({ id: 1, title: 'A', year: 2019 }),
      makePaper({ id: 2, title: 'B', year: 2022 }),
      own({ id: 3, title: 'C', year: 2022, key: 'c' }),
      makePaper({ id: 4, title: 'D', year: undefined }),
    ];
    const o = libraryOverview(mixed, { resolve: () => undefined });
    assert.deepEqual(
      o.years.map((y) => [y.year, y.bundled, y.own]),
      [
        [2019, 1, 0],
        [2020, 0, 0],
        [2021, 0, 0],
        [2022, 1, 1],
      ],
    );
    assert.equal(o.noYear, 1);
    assert.deepEqual([o.total, o.bundled, o.own], [4, 3, 1]);
    assert.equal(o.topics, undefined, 'topics are not known yet');
    assert.equal(o.cited, undefined, 'the workspace has not been read yet');
  });

  it('shows only the years that have papers when the range is very long', () => {
    const o = libraryOverview([makePaper({ id: 1, title: 'Old', year: 1905 }), makePaper({ id: 2, title: 'New', year: 2024 })], { resolve: () => undefined });
    assert.deepEqual(o.years.map((y) => y.year), [1905, 2024]);
  });

  it('every bar filters to exactly its papers, by the rule that groups the Library view', () => {
    const o = libraryOverview(papers, { topicOf, resolve: () => undefined });
    const bars = [...o.years, ...o.venues, ...(o.topics ?? [])];
    assert.ok(bars.length > 10);
    for (const bar of bars) {
      assert.equal(papers.filter(paperInGroups(bar.groups, topicOf)).length, bar.count, `${bar.label} (${bar.groups.join(' & ')})`);
    }
    assert.equal(o.years.reduce((n, y) => n + y.count, 0) + o.noYear, papers.length);
    assert.equal(o.venues.reduce((n, v) => n + v.count, 0) + o.otherVenues + o.noVenue, papers.length);
    assert.equal((o.topics ?? []).reduce((n, t) => n + t.count, 0), papers.length);
    assert.ok(o.venues.length <= MAX_BARS);
  });

  it('group ids made by groupPapers parse back and select their group', () => {
    for (const grouping of GROUPINGS) {
      for (const group of groupPapers(papers, grouping, topicOf)) {
        assert.equal(parseGroupId(group.id)?.grouping, grouping);
        assert.equal(papers.filter(paperInGroups([group.id], topicOf)).length, group.papers.length, group.id);
      }
    }
    assert.equal(papers.filter(paperInGroups(['nonsense:1'])).length, 0);
    assert.equal(papers.filter(paperInGroups(['year:1066'])).length, 0);
  });

  it('counts citations per paper, an alias and the main key together, most cited first', () => {
    const a = makePaper({ id: 1, title: 'Alpha', key: 'alpha2020' });
    const b = makePaper({ id: 2, title: 'Beta', key: 'beta2021' });
    const byKey = new Map([
      ['alpha2020', a],
      ['alphaAlias', a],
      ['beta2021', b],
    ]);
    const o = libraryOverview([a, b], {
      resolve: (k) => byKey.get(k),
      citations: {
        counts: new Map([
          ['alpha2020', 2],
          ['alphaAlias', 3],
          ['beta2021', 4],
          ['unknownKey', 9],
        ]),
        documents: new Map([
          ['alpha2020', 1],
          ['alphaAlias', 2],
          ['beta2021', 1],
          ['unknownKey', 1],
        ]),
      },
    });
    assert.deepEqual(o.cited, [
      { key: 'alpha2020', title: 'Alpha', citations: 5, documents: 2 },
      { key: 'beta2021', title: 'Beta', citations: 4, documents: 1 },
    ]);
  });
});

describe('library overview page', () => {
  const hostile = '<img src=x onerror=alert(1)>"\'&';
  const papers = [
    makePaper({ id: 1, title: hostile, key: 'evil2020', year: 2020, venue: hostile }),
    own({ id: 2, title: 'Fine', key: 'fine2021', year: 2021, venue: 'ICML' }),
  ];
  const html = renderOverviewBody(
    libraryOverview(papers, {
      topicOf: () => hostile,
      resolve: (k) => papers.find((p) => p.key === k),
      citations: { counts: new Map([['evil2020', 1]]), documents: new Map([['evil2020', 1]]) },
    }),
  );

  it('escapes every value from data and has no inline style or script', () => {
    assert.ok(!html.includes('<img'), 'no markup from data');
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(!/\sstyle=/.test(html), 'sizes are SVG attributes: the CSP forbids inline styles');
    // Attribute values are escaped data; what is left outside them is our markup.
    const markup = html.replace(/"[^"]*"/g, '""');
    assert.ok(!/<script|<[^>]*\son\w+=/i.test(markup), 'no script, no event attribute in any tag');
  });

  it('makes every bar a button with a spoken name, and every chart a table too', () => {
    const buttons = html.match(/<button[^>]*>/g) ?? [];
    assert.ok(buttons.length >= 5);
    for (const b of buttons) {
      assert.match(b, /aria-label="[^"]+"/);
    }
    assert.match(html, /aria-label="2021: 1 paper \(1 in your files, 0 only bundled\)\. Show them in the Library\."/);
    assert.equal((html.match(/<table>/g) ?? []).length, 4, 'years, venues, topics, most cited');
    assert.match(html, /data-groups="\[&quot;year:2020&quot;\]"/);
  });

  it('says what it is still working out', () => {
    const waiting = renderOverviewBody(libraryOverview(papers, { resolve: () => undefined }));
    assert.match(waiting, /Finding the topics of the library/);
    assert.match(waiting, /Reading the workspace/);
  });

  it('says why the workspace could not be read rather than reading for ever, as text', () => {
    const failed = renderOverviewBody(libraryOverview(papers, { resolve: () => undefined, citationsError: 'search <failed>' }));
    assert.doesNotMatch(failed, /Reading the workspace/);
    assert.match(failed, /could not be read: search &lt;failed&gt;\. Saving a document tries again\./);
  });

  it('says why the topics could not be found rather than finding them for ever, as text', () => {
    const failed = renderOverviewBody(libraryOverview(papers, { resolve: () => undefined, topicsError: 'k-means <diverged>' }));
    assert.doesNotMatch(failed, /Finding the topics/);
    assert.match(failed, /The topics could not be found: k-means &lt;diverged&gt;\./);
  });
});

describe('overview messages', () => {
  it('accepts group ids of the Library groupings, a short label, or a key — nothing else', () => {
    assert.deepEqual(parseFromOverview({ type: 'filterLibrary', groups: ['year:2023'], label: '2023' }), { type: 'filterLibrary', groups: ['year:2023'], label: '2023' });
    assert.deepEqual(parseFromOverview({ type: 'openPaper', key: 'a2020b' }), { type: 'openPaper', key: 'a2020b' });
    assert.deepEqual(parseFromOverview({ type: 'ready', version: 3 }), { type: 'ready', version: 3 });
    for (const bad of [
      { type: 'ready', version: -1 },
      { type: 'ready', version: 1.5 },
      { type: 'ready', version: '3' },
      { type: 'ready' },
      { type: 'filterLibrary', groups: [], label: 'x' },
      { type: 'filterLibrary', groups: ['__proto__:x'], label: 'x' },
      { type: 'filterLibrary', groups: ['year:2023'], label: '' },
      { type: 'filterLibrary', groups: ['year:2023'], label: 'x'.repeat(201) },
      { type: 'filterLibrary', groups: 'year:2023', label: 'x' },
      { type: 'filterLibrary', groups: ['year:1', 'year:2', 'year:3', 'year:4'], label: 'x' },
      { type: 'openPaper', key: 'a b' },
      { type: 'runCommand', command: 'workbench.action.terminal.new' },
      null,
      [],
    ]) {
      assert.equal(parseFromOverview(bad), undefined, JSON.stringify(bad));
    }
  });
});
