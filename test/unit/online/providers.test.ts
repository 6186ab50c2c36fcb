import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseBibtex } from '../../../src/core/bib/parser';
import { bibtexEntry } from '../../../src/core/bib/writer';
import { arxivIdsRequest, arxivSearchRequest, parseArxivResponse } from '../../../src/core/online/arxiv';
import { crossrefLimitsFrom, crossrefSearchRequest, doiBibtexRequest, parseCrossrefSearch, parseCrossrefWork } from '../../../src/core/online/crossref';
import { parseDblpRecord, parseDblpSearch } from '../../../src/core/online/dblp';
import { workFromBibtex } from '../../../src/core/online/fromBibtex';
import { parseOpenAlexSearch, rebuildAbstract } from '../../../src/core/online/openAlex';
import { mergeWorks, paperFromWork, parseIdentifierInput } from '../../../src/core/online/papers';
import { parseSemanticScholarBatch, parseSemanticScholarSearch, semanticScholarBatchRequest } from '../../../src/core/online/semanticScholar';
import { ProviderError, type HttpResponse, type ProviderId, type RemoteWork } from '../../../src/core/online/types';
import { parseXml, XmlError } from '../../../src/core/online/xml';
import { parseBetterBibtexExport, parseZoteroItems, parseZoteroProbe, zoteroItemWork } from '../../../src/core/online/zotero';
import { latexToText } from '../../../src/core/text/latexText';
import { makePaper, ROOT } from '../helpers';

const fixture = (...path: string[]) => readFileSync(join(ROOT, 'test', 'fixtures', 'remote', ...path), 'utf8');
const ok = (body: string, status = 200, headers: Record<string, string> = {}): HttpResponse => ({ status, headers, body });
/** A `.http` fixture: a whole HTTP response. */
function httpFixture(...path: string[]): HttpResponse {
  const raw = fixture(...path);
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const [status, ...headerLines] = head.split(/\r?\n/);
  const headers = Object.fromEntries(headerLines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(status.split(' ')[1]), headers, body: rest.join('\n\n') };
}
const failure = (fn: () => unknown, provider: ProviderId): ProviderError => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ProviderError, String(err));
    assert.equal(err.provider, provider);
    assert.ok(err.message.startsWith(`${err.message.split(':')[0]}:`));
    return err;
  }
  assert.fail('expected a ProviderError');
};

/** A work written as our entry re-parses to the same title, authors, year and identifiers. */
function roundTrips(work: RemoteWork): void {
  const paper = paperFromWork(work, -1, new Set());
  const entry = bibtexEntry(paper);
  const parsed = parseBibtex(entry);
  assert.deepEqual(parsed.errors, [], entry);
  const f = parsed.entries[0].fields;
  assert.equal(latexToText(f.title), work.title.replace(/\s+/g, ' '), entry);
  if (work.year) {
    assert.equal(f.year, String(work.year));
  }
  if (work.doi) {
    assert.equal(f.doi, work.doi);
  }
  if (work.arxiv) {
    assert.equal(f.eprint, work.arxiv);
  }
}

describe('arXiv (Atom)', () => {
  it('reads an id lookup: a missing id is simply absent; the year is the first version’s', () => {
    const works = parseArxivResponse(ok(fixture('arxiv', 'idlist_0808.05394_1707.08567.atom.xml')));
    assert.deepEqual(works.map((w) => w.arxiv), ['1707.08567']);
    assert.equal(works[0].year, 2017);
    assert.equal(works[0].title, 'Proceedings of Workshop AEW10: Concepts in Information Theory and Communications');
    assert.ok(works[0].authors.length > 5);
    assert.match(works[0].abstract, /^The 10th Asia-Europe workshop/);
    works.forEach(roundTrips);
  });

  it('reads old-style ids, empty answers and searches', () => {
    assert.deepEqual(parseArxivResponse(ok(fixture('arxiv', 'idlist_astro-ph_0601001_oldstyle.atom.xml'))).map((w) => w.arxiv), ['astro-ph/0601001']);
    assert.deepEqual(parseArxivResponse(ok(fixture('arxiv', 'idlist_0000.0000_empty.atom.xml'))), []);
    for (const file of ['search_all-testing_start0_max10.atom.xml', 'search_all-testing_start10_max10.atom.xml']) {
      const works = parseArxivResponse(ok(fixture('arxiv', file)));
      assert.equal(works.length, 10, file);
      for (const w of works) {
        assert.ok(w.arxiv && w.title && w.year, JSON.stringify(w));
      }
      works.forEach(roundTrips);
    }
  });

  it('types an entry by its journal reference: a conference’s words make it @inproceedings, none makes it @misc', () => {
    const works = parseArxivResponse(ok(fixture('arxiv', 'search_all-testing_start0_max10.atom.xml')));
    const icstw = works.find((w) => /ICSTW/.test(w.venue ?? ''));
    assert.equal(icstw?.entryType, 'inproceedings', icstw?.venue);
    assert.ok(works.filter((w) => !w.venue).every((w) => w.entryType === 'misc'));
  });

  it('reports its error feed (HTTP 400), naming arXiv', () => {
    const err = failure(() => parseArxivResponse(ok(fixture('arxiv', 'idlist_abc_error400.atom.xml'), 400)), 'arxiv');
    assert.match(err.message, /^arXiv: refused the query: incorrect id format for abc/);
  });

  it('reports a web page, a truncated feed and XML with a DOCTYPE, expanding no entity', () => {
    failure(() => parseArxivResponse(ok('<!DOCTYPE html><html><body>Login</body></html>')), 'arxiv');
    failure(() => parseArxivResponse(ok(fixture('arxiv', 'search_all-testing_start0_max10.atom.xml').slice(0, 5000))), 'arxiv');
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><feed><entry><title>&lol2;</title></entry></feed>`;
    const err = failure(() => parseArxivResponse(ok(laughs)), 'arxiv');
    assert.match(err.message, /DOCTYPE/);
    const external = `<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]><feed>&x;</feed>`;
    failure(() => parseArxivResponse(ok(external)), 'arxiv');
  });

  it('builds requests the API understands', () => {
    const search = new URL(arxivSearchRequest('http://127.0.0.1:9/api/query', 'equilibrium propagation!', 5).url);
    assert.equal(search.searchParams.get('search_query'), 'all:equilibrium AND all:propagation');
    assert.equal(search.searchParams.get('max_results'), '5');
    assert.equal(new URL(arxivIdsRequest('http://x/api/query', ['2309.02214', 'math/0601001']).url).searchParams.get('id_list'), '2309.02214,math/0601001');
  });
});

describe('Crossref', () => {
  it('reads a search: DOIs, JATS abstracts as text, types', () => {
    const works = parseCrossrefSearch(ok(fixture('crossref', 'works_query-ecology_rows2.json')));
    assert.equal(works.length, 2);
    assert.equal(works[0].doi, '10.1093/obo/9780199830060-0238');
    assert.equal(works[0].title, 'Communicating Ecology');
    assert.doesNotMatch(works[0].abstract, /<\/?(jats:)?p>/);
    assert.equal(works[0].year, 2022);
    works.forEach(roundTrips);
  });

  it('reads a DOI’s record and reports an unknown DOI', () => {
    const work = parseCrossrefWork(ok(fixture('crossref', 'works_doi_10.1371_journal.pone.0033693.json')));
    assert.equal(work.doi, '10.1371/journal.pone.0033693');
    assert.equal(work.entryType, 'article');
    assert.ok(work.authors.length > 0);
    roundTrips(work);
    const err = failure(() => parseCrossrefWork(ok(fixture('crossref', 'works_doi_notfound_404.txt'), 404)), 'crossref');
    assert.equal(err.failure, 'not-found');
  });

  it('normalises content-negotiated BibTeX: leading space, bare month, en dash, unprotected title case', () => {
    const work = workFromBibtex(fixture('crossref', 'contentneg_bibtex_10.1126_science.169.3946.635.bib'), 'crossref');
    assert.equal(work.title, 'The Structure of Ordinary Water: New data and interpretations are yielding new insights into this fascinating substance.');
    assert.deepEqual([work.year, work.month, work.pages, work.venue, work.doi], [1970, 8, '635--641', 'Science', '10.1126/science.169.3946.635']);
    const entry = bibtexEntry(paperFromWork(work, -1, new Set()));
    assert.match(entry, /^@article\{frank1970structure,/);
    assert.match(entry, /month\s+= aug,?\n/);
    assert.match(entry, /title\s+= \{\{The Structure of Ordinary Water/);
    roundTrips(work);
    const old = workFromBibtex(fixture('crossref', 'contentneg_bibtex_10.1007_11880561_13_2020.bib'), 'crossref');
    assert.deepEqual([old.entryType, old.year, old.doi], ['incollection', 2006, '10.1007/11880561_13']);
    roundTrips(old);
  });

  it('reads its rate-limit headers, in both formats', () => {
    assert.deepEqual(crossrefLimitsFrom({ 'x-rate-limit-limit': '50', 'x-rate-limit-interval': '1s', 'x-concurrency-limit': '5' }), { spacingMs: 20, concurrency: 5 });
    assert.deepEqual(crossrefLimitsFrom({ 'x-rate-limit-limit': '5/1s', 'x-concurrency-limit': '1' }), { spacingMs: 200, concurrency: 1 });
    assert.equal(crossrefLimitsFrom({}), undefined);
  });

  it('asks politely and negotiates BibTeX at the resolver', () => {
    const url = new URL(crossrefSearchRequest('http://127.0.0.1:9', 'ecology', 2, 'me@example.org').url);
    assert.equal(url.searchParams.get('mailto'), 'me@example.org');
    assert.equal(url.pathname, '/works');
    const neg = doiBibtexRequest('http://127.0.0.1:9/', '10.1126/science.169.3946.635');
    assert.equal(neg.url, 'http://127.0.0.1:9/10.1126/science.169.3946.635');
    assert.match(neg.headers?.accept ?? '', /application\/x-bibtex/);
  });
});

describe('DBLP', () => {
  it('reads its BibTeX records in all three forms', () => {
    for (const file of ['rec_conf-spire-BastMW06_standard_param1.bib', 'rec_conf-spire-BastMW06_condensed_param0.bib', 'rec_conf-spire-BastMW06_crossref_param2.bib']) {
      const work = parseDblpRecord(ok(fixture('dblp', file)));
      assert.equal(work.title, 'Output-Sensitive Autocompletion Search', file);
      assert.equal(work.doi, file.includes('condensed') ? undefined : '10.1007/11880561_13', file);
      assert.equal(work.year, 2006, file);
      assert.equal(work.volume ?? '4209', '4209', file);
      roundTrips(work);
    }
  });

  it('reads a search where "author" is one object or a list, and refuses an HTML page answered with 200', () => {
    const hit = (authors: unknown, key: string) => ({ info: { authors: { author: authors }, title: 'A Title of Some Length.', venue: 'SPIRE', year: '2006', type: 'Conference and Workshop Papers', key, doi: '10.1/X', ee: 'https://doi.org/10.1/X' } });
    const body = JSON.stringify({ result: { hits: { hit: [hit({ text: 'Holger Bast', '@pid': 'p' }, 'a/b'), hit([{ text: 'A 0001' }, { text: 'B' }], 'c/d'), null, { info: null }] } } });
    const works = parseDblpSearch(ok(body));
    assert.deepEqual(works.map((w) => w.authors), [['Holger Bast'], ['A', 'B']]);
    assert.equal(works[0].title, 'A Title of Some Length');
    assert.equal(works[0].entryType, 'inproceedings');
    const err = failure(() => parseDblpSearch(ok('<!DOCTYPE html><html><head><title>Too many requests</title></head></html>')), 'dblp');
    assert.equal(err.failure, 'format');
  });
});

describe('Semantic Scholar', () => {
  it('reads a batch with null entries, keeping their places', () => {
    const works = parseSemanticScholarBatch(ok(fixture('semanticscholar', 'paper_batch_allfields_with_null.json')));
    assert.equal(works.length, 4);
    assert.equal(works[0], undefined);
    assert.equal(works[1]?.title, 'How Much Should We Trust Differences-in-Differences Estimates?');
    assert.equal(works[1]?.doi, '10.2139/ssrn.288970');
    assert.deepEqual(works[1]?.authors, ['Marianne Bertrand', 'E. Duflo', 'S. Mullainathan']);
    works.filter((w): w is RemoteWork => w !== undefined).forEach(roundTrips);
  });

  it('reads searches and reports its errors, naming the service', () => {
    assert.equal(parseSemanticScholarSearch(ok(fixture('semanticscholar', 'paper_search_q-turing_fields-title.json'))).length, 100);
    assert.equal(parseSemanticScholarSearch(ok(fixture('semanticscholar', 'paper_search_match.json')))[0].title, 'Mining association rules between sets of items in large databases');
    assert.match(failure(() => parseSemanticScholarSearch(ok(fixture('semanticscholar', 'error400_unknown_fields.json'), 400)), 'semanticscholar').message, /Unrecognized or unsupported fields/);
    assert.equal(failure(() => parseSemanticScholarBatch(ok(fixture('semanticscholar', 'error404_paper_not_found.json'), 404)), 'semanticscholar').failure, 'not-found');
    assert.equal(failure(() => parseSemanticScholarSearch(ok('{}', 403)), 'semanticscholar').failure, 'needs-key');
  });

  it('puts the key in a header, never in the address', () => {
    const req = semanticScholarBatchRequest('http://127.0.0.1:9', ['ArXiv:2309.02214'], 'secret');
    assert.equal(req.headers?.['x-api-key'], 'secret');
    assert.doesNotMatch(req.url, /secret/);
    assert.deepEqual(JSON.parse(req.body ?? ''), { ids: ['ArXiv:2309.02214'] });
  });
});

describe('OpenAlex', () => {
  it('rebuilds abstracts from the inverted index, and reads works without one', () => {
    const works = parseOpenAlexSearch(ok(fixture('openalex', 'works_search_page1_per200.json')));
    assert.equal(works.length, 49);
    assert.equal(works.filter((w) => w.abstract !== '').length, 46);
    assert.match(works[0].abstract, /^Existing climate classification has not/);
    assert.equal(works[0].doi, '10.4081/gh.2014.294');
    works.forEach(roundTrips);
    assert.equal(rebuildAbstract({ b: [1], a: [0, 2], bad: [-1, 'x', 1e9] }), 'a b a');
    assert.equal(rebuildAbstract(null), '');
  });
});

describe('Zotero', () => {
  it('reads the user’s items in the Web API shape, skipping attachments and notes', () => {
    const works = parseZoteroItems(ok(fixture('zotero', 'webapi_items_20.json')));
    assert.ok(works.length > 10 && works.length <= 20);
    const article = works.find((w) => w.entryType === 'article');
    assert.ok(article && article.title && article.authors.length > 0);
    const single = zoteroItemWork(JSON.parse(fixture('zotero', 'webapi_item_single.json')));
    assert.ok(single?.title);
  });

  it('keeps the Better BibTeX key, from Zotero 7’s field or from Extra', () => {
    const item = (data: Record<string, unknown>) => ({ key: 'K1', data: { itemType: 'journalArticle', title: 'A Study of Widgets', creators: [{ creatorType: 'author', firstName: 'Jane', lastName: 'Doe' }], ...data } });
    assert.equal(zoteroItemWork(item({ citationKey: 'doe2020study' }))?.citationKey, 'doe2020study');
    assert.equal(zoteroItemWork(item({ extra: 'tex.x: y\nCitation Key: doeStudy2020\n' }))?.citationKey, 'doeStudy2020');
    const paper = paperFromWork(zoteroItemWork(item({ citationKey: 'doe2020study', date: '2020-03-01' }))!, -1, new Set());
    assert.equal(paper.key, 'doe2020study');
    assert.equal(paper.month, 3);
  });

  it('says how to switch the local API on when it answers 403, and reads other answers it does not expect as errors', () => {
    const err = failure(() => parseZoteroProbe(ok('Forbidden', 403)), 'zotero');
    assert.equal(err.failure, 'forbidden');
    assert.match(err.message, /Settings → Advanced/);
    assert.equal(parseZoteroProbe(ok('Nothing here.')), true);
    failure(() => parseZoteroItems(httpFixture('zotero', 'webapi_group_items_csljson.http')), 'zotero');
    failure(() => parseZoteroItems(httpFixture('zotero', 'zotxt_items_betterbibtexkey_500_empty.http')), 'zotero');
    failure(() => parseZoteroItems(httpFixture('zotero', 'zotxt_items_easykey_400.http')), 'zotero');
    assert.equal(parseBetterBibtexExport(ok(JSON.stringify({ jsonrpc: '2.0', result: '@article{k, title={T}}', id: 1 }))), '@article{k, title={T}}');
    assert.equal(parseBetterBibtexExport(ok('not json')), undefined);
  });
});

describe('hostile answers', () => {
  const providers: [ProviderId, (r: HttpResponse) => unknown][] = [
    ['crossref', parseCrossrefSearch],
    ['dblp', parseDblpSearch],
    ['semanticscholar', parseSemanticScholarSearch],
    ['openalex', parseOpenAlexSearch],
    ['zotero', parseZoteroItems],
  ];
  for (const [provider, parse] of providers) {
    it(`${provider}: an HTML page, truncated JSON and an empty body end in an error naming the service`, () => {
      for (const body of ['<html><body>Sign in</body></html>', '{"message": {"items": [', '']) {
        failure(() => parse(ok(body)), provider);
      }
    });

    it(`${provider}: nulls in place of objects and lists, and huge strings, are survived`, () => {
      const huge = 'x'.repeat(3_000_000);
      const bodies = [
        { status: 'ok', message: { items: [null, { DOI: null, title: null }, { DOI: '10.1/a', title: [huge], author: null, abstract: huge }] } },
        { result: { hits: { hit: null } } },
        { data: [null, { paperId: 'p', title: huge, authors: null, externalIds: null }] },
        { results: [null, { id: 'W1', title: 'T', authorships: null, abstract_inverted_index: null }] },
        [null, { key: 'K', data: null }, { key: 'K2', data: { title: huge, creators: null } }],
      ];
      for (const body of bodies) {
        try {
          const works = parse(ok(JSON.stringify(body))) as RemoteWork[];
          for (const w of works) {
            assert.ok(w.title.length <= 20_001 && w.abstract.length <= 20_001, 'bounded');
          }
        } catch (err) {
          assert.ok(err instanceof ProviderError && err.provider === provider, String(err));
        }
      }
    });
  }

  it('LaTeX specials, markup and command links in fields are escaped in the entry we write', () => {
    const work: RemoteWork = { provider: 'crossref', providerId: '10.1/x', title: 'A & B: 100% of $x_1$ #1 {unbalanced <i>italic</i> [x](command:evil)', authors: ['O\'Brien, Pat'], abstract: '<script>alert(1)</script>', doi: '10.1/x' };
    const entry = bibtexEntry(paperFromWork(work, -1, new Set()));
    assert.deepEqual(parseBibtex(entry).errors, []);
    assert.match(entry, /A \\& B: 100\\% of \\\$x\\_1\\\$ \\#1 \\textbraceleft\{\}unbalanced/);
    roundTrips(work);
  });
});

describe('works as papers', () => {
  it('gives a found paper a key by the same rule as bundled papers, never a taken one', () => {
    const work: RemoteWork = { provider: 'arxiv', providerId: '2309.02214', title: 'Improving equilibrium propagation without weight symmetry', authors: ['Axel Laborieux'], year: 2023, abstract: '', arxiv: '2309.02214' };
    assert.equal(paperFromWork(work, -1, new Set()).key, 'laborieux2023improving');
    assert.equal(paperFromWork(work, -1, new Set(['laborieux2023improving'])).key, 'laborieux2023improvinga');
    assert.equal(paperFromWork({ ...work, provider: 'dblp', citationKey: 'DBLP:conf/x/Y' }, -1, new Set()).key, 'laborieux2023improving', 'DBLP keys are not ours');
  });

  it('deduplicates across services and against the library, the first service speaking and others filling gaps', () => {
    const a: RemoteWork = { provider: 'arxiv', providerId: '1', title: 'A Long Enough Title Here', authors: ['X'], year: 2020, abstract: 'from arXiv', arxiv: '2001.00001' };
    const c: RemoteWork = { provider: 'crossref', providerId: '10.1/a', title: 'A long enough title here', authors: ['X'], year: 2020, abstract: '', doi: '10.1/a' };
    const d: RemoteWork = { provider: 'dblp', providerId: 'k', title: 'Other Paper Entirely Here', authors: ['Y'], year: 2021, abstract: '', doi: '10.1/a' };
    const known = makePaper({ id: 7, title: 'Known', arxiv: '1999.00001' });
    const k: RemoteWork = { provider: 'crossref', providerId: 'z', title: 'Known', authors: [], abstract: '', arxiv: '1999.00001' };
    const merged = mergeWorks([[c, d, k], [a]], (w) => (w.arxiv === '1999.00001' ? known : undefined));
    assert.deepEqual(merged.local.map((p) => p.id), [7]);
    assert.equal(merged.works.length, 1);
    assert.equal(merged.works[0].provider, 'arxiv');
    assert.equal(merged.works[0].doi, '10.1/a');
    assert.deepEqual([...merged.localFoundBy], [[7, 'crossref']]);
    // In the order the services answered (a list's rows keep their places): Crossref first.
    const answered = mergeWorks([[c, d, k], [a]], (w) => (w.arxiv === '1999.00001' ? known : undefined), ['crossref', 'arxiv']);
    assert.deepEqual(answered.works.map((w) => [w.provider, w.abstract, w.arxiv]), [['crossref', 'from arXiv', '2001.00001']]);
  });

  it('reads every form of identifier people paste', () => {
    const cases: [string, unknown][] = [
      ['10.1126/science.169.3946.635', { kind: 'doi', doi: '10.1126/science.169.3946.635' }],
      ['https://doi.org/10.1007/11880561_13', { kind: 'doi', doi: '10.1007/11880561_13' }],
      ['arXiv:2309.02214v2', { kind: 'arxiv', id: '2309.02214' }],
      ['https://arxiv.org/pdf/2309.02214v1.pdf', { kind: 'arxiv', id: '2309.02214' }],
      ['10.48550/arXiv.2309.02214', { kind: 'arxiv', id: '2309.02214' }],
      ['https://dblp.org/rec/conf/spire/BastMW06.html', { kind: 'dblp', key: 'conf/spire/BastMW06' }],
      ['https://www.semanticscholar.org/paper/Attention-is-All-you-Need-Vaswani/204e3073870fae3d05bcbc2f6a8e263d9b72e776', { kind: 'semanticscholar', id: '204e3073870fae3d05bcbc2f6a8e263d9b72e776' }],
      ['@article{k, title={T}}', { kind: 'bibtex', text: '@article{k, title={T}}' }],
      ['just words', undefined],
    ];
    for (const [input, expected] of cases) {
      assert.deepEqual(parseIdentifierInput(input), expected, input);
    }
  });
});

describe('XML reader', () => {
  it('reads elements, attributes, entities and CDATA, and refuses what is not well-formed', () => {
    const el = parseXml('<?xml version="1.0"?><a x="1 &amp; 2"><b>&lt;t&gt; &#233;&#xE9;</b><![CDATA[<raw>]]><c/></a>');
    assert.equal(el.attributes.x, '1 & 2');
    assert.equal(el.children[0].text, '<t> éé');
    assert.equal(el.text, '<raw>');
    for (const bad of ['<a><b></a>', '<a>', '', '<a></a><b></b>', '<a x=1></a>']) {
      assert.throws(() => parseXml(bad), XmlError, bad);
    }
  });
});
