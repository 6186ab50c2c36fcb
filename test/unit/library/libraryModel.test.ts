import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseBibtex } from '../../../src/core/bib/parser';
import { reparseBibtexInSlices } from '../../../src/core/bib/reparse';
import { fullTextChange, PaperIndex } from '../../../src/core/search/searchIndex';
import { identityOf, LibraryModel } from '../../../src/core/library/libraryModel';
import { namesFromField } from '../../../src/core/bib/names';
import { paperFromBibEntry } from '../../../src/core/library/userPapers';
import { bundledPapers } from '../helpers';
import type { Paper } from '../../../src/core/library/paper';


describe('user entries as papers', () => {
  it('turns LaTeX fields into text and keeps the raw entry', () => {
    const text = '@article{k, title = {{\\"U}ber {G}radients}, author = {M{\\"o}ller, Ralf and Doe, J. and others}, journal = {J. of X}, year = {2020}, abstract = {50\\% \\emph{more}}}';
    const paper = paperFromBibEntry(parseBibtex(text).entries[0], text, 'file:///w/a.bib', 7);
    assert.equal(paper.title, 'Über Gradients');
    assert.deepEqual(paper.authors, ['Ralf Möller', 'J. Doe']);
    assert.equal(paper.venue, 'J. of X');
    assert.equal(paper.abstract, '50% more');
    assert.equal(paper.source, 'user');
    assert.equal(paper.origin?.bibtex, text);
    assert.equal(paper.origin?.line, 1);
  });

  it('splits author lists at top-level "and" only', () => {
    assert.deepEqual(namesFromField('{Barnes and Noble, Inc.} and Smith, John and Jane Roe'), ['Barnes and Noble, Inc.', 'John Smith', 'Jane Roe']);
    assert.deepEqual(namesFromField('von Neumann, Jr, John'), ['John von Neumann Jr']);
    assert.deepEqual(namesFromField(''), []);
  });

  it('reads the year from date and the venue from booktitle', () => {
    const text = '@inproceedings{k, title={T}, date={2019-05-01}, booktitle={Proc. of {ICML}}}';
    const p = paperFromBibEntry(parseBibtex(text).entries[0], text, 'f', 1);
    assert.equal(p.year, 2019);
    assert.equal(p.venue, 'Proc. of ICML');
  });

  it('puts a BibLaTeX subtitle after the title (biblatex-examples.bib), so a search finds the paper by it', () => {
    const paper = (text: string) => paperFromBibEntry(parseBibtex(text).entries[0], text, 'f', 1);
    const cms = paper('@manual{cms, title = {The {Chicago} Manual of Style}, date = 2003, subtitle = {The Essential Guide for Writers, Editors, and Publishers}}');
    assert.equal(cms.title, 'The Chicago Manual of Style: The Essential Guide for Writers, Editors, and Publishers');
    assert.equal(paper('@book{q, title = {What Is Life?}, subtitle = {The Physical Aspect of the Living Cell}}').title, 'What Is Life? The Physical Aspect of the Living Cell');
    assert.equal(paper('@book{s, subtitle = {Only a Subtitle}}').title, 'Only a Subtitle');
    const index = PaperIndex.build([cms]);
    assert.equal(index.search('essential guide writers')[0]?.paper.key, 'cms');
  });

  it('takes a @misc entry\'s \\url in howpublished (or in the note) as its link, not as its venue', () => {
    const paper = (text: string) => paperFromBibEntry(parseBibtex(text).entries[0], text, 'f', 1);
    const misc = paper('@misc{ESAPI, title={{OWASP Toolkits}}, key={OWASP}, howpublished={\\url{https://www.owasp.org/x/Esapi-datasheet.pdf}}}');
    assert.equal(misc.venue, undefined);
    assert.equal(misc.url, 'https://www.owasp.org/x/Esapi-datasheet.pdf');
    const mixed = paper('@misc{m, title={T}, howpublished={Online; accessed 2020-01-01, https://example.org/page}, url={https://own.example/}}');
    assert.equal(mixed.venue, undefined);
    assert.equal(mixed.url, 'https://own.example/');
    const noted = paper('@misc{n, title={T}, howpublished={Blog post}, note={\\url{http://blog.example/post}, accessed 2021}}');
    assert.equal(noted.venue, 'Blog post');
    assert.equal(noted.url, 'http://blog.example/post');
    assert.equal(paper('@misc{p, title={T}, howpublished={arXiv preprint arXiv:2101.00001}}').venue, 'arXiv preprint arXiv:2101.00001');
  });

  it('reads a web page exported as a journal (Mendeley) as a link, and a DOI from a doi.org or publisher link', () => {
    const paper = (text: string) => paperFromBibEntry(parseBibtex(text).entries[0], text, 'f', 1);
    // Entries of a real Mendeley export (BU-DiSC/mendeley-library).
    const page = paper('@article{AmazonEBS, title = {{Elastic Block Store}}, author = {Amazon}, journal = {https://aws.amazon.com/ebs/}}');
    assert.equal(page.venue, undefined);
    assert.equal(page.url, 'https://aws.amazon.com/ebs/');
    const ham = paper('@inproceedings{Ham2020, title = {{Genesis}}, url = {https://doi.org/10.1109/ISCA45697.2020.00031}, booktitle = {Proceedings of ISCA}}');
    assert.equal(ham.doi, '10.1109/isca45697.2020.00031');
    assert.equal(ham.venue, 'Proceedings of ISCA');
    assert.equal(paper('@inproceedings{Luo2020a, title = {T}, url = {https://dl.acm.org/doi/10.1145/3318464.3384399}}').doi, '10.1145/3318464.3384399');
    assert.equal(paper('@article{w, title = {T}, url = {https://onlinelibrary.wiley.com/doi/full/10.1002/asi.24750?af=R}}').doi, '10.1002/asi.24750');
    // The doi field wins; a link that names no DOI gives none; a venue with words and a link stays a venue.
    assert.equal(paper('@article{d, title = {T}, doi = {10.1000/own}, url = {https://doi.org/10.1000/other}}').doi, '10.1000/own');
    assert.equal(paper('@article{n, title = {T}, url = {https://example.org/doi/paper}}').doi, undefined);
    assert.equal(paper('@article{v, title = {T}, journal = {Blog, https://blog.example/}}').venue, 'Blog, https://blog.example/');
  });
});

describe('the library model: one paper, many keys, many files', () => {
  function fresh() {
    const index = PaperIndex.build(bundledPapers());
    const model = new LibraryModel(index.papers);
    const set = async (file: string, text: string) => {
      const r = parseBibtex(text);
      index.apply(await model.setFile({ file, text, entries: r.entries, strings: r.strings, byKey: r.byKey }));
    };
    const remove = async (file: string) => index.apply(await model.removeFile(file));
    return { index, model, set, remove };
  }

  it('makes entries searchable and findable by key, then removes them with their file', async () => {
    const { index, model, set, remove } = fresh();
    await set('a.bib', '@article{mine2020, title={Zorblatt Quantization of Widgets}, author={Doe, Jane}, year=2020}');
    assert.equal(index.search('zorblatt')[0]?.paper.key, 'mine2020');
    assert.equal(index.byKey('mine2020')?.source, 'user');
    assert.equal(model.counts().papers, 120);
    await remove('a.bib');
    assert.deepEqual(index.search('zorblatt'), []);
    assert.equal(index.byKey('mine2020'), undefined);
    assert.equal(index.size, 119);
    assert.equal(model.size, 119);
  });

  it('replaces only the changed file’s entries', async () => {
    const { index, set } = fresh();
    await set('a.bib', '@misc{a1, title={Alpha Widgets}}');
    await set('b.bib', '@misc{b1, title={Beta Widgets}}');
    await set('a.bib', '@misc{a2, title={Gamma Widgets}}');
    assert.equal(index.byKey('a1'), undefined);
    assert.ok(index.byKey('a2'));
    assert.ok(index.byKey('b1'));
    assert.equal(index.size, 121);
  });

  it('merges a user entry with the bundled paper it describes: the user’s key wins, the corpus fills the abstract', async () => {
    const { index, set, remove } = fresh();
    await set('a.bib', '@misc{mine, title={Something}, eprint={2309.02214}, archivePrefix={arXiv}}');
    const merged = index.byKey('mine')!;
    assert.equal(index.size, 119, 'no second copy');
    assert.equal(index.byKey('laborieux2023improving'), merged, 'the bundled key still resolves');
    assert.match(merged.abstract, /^Equilibrium propagation \(EP\)/);
    assert.equal(index.search('equilibrium propagation')[0].paper.key, 'mine');
    await remove('a.bib');
    assert.equal(index.byKey('laborieux2023improving')?.key, 'laborieux2023improving');
    assert.equal(index.byKey('mine'), undefined);
  });

  it('makes the same paper under two keys in two files one paper that every key resolves to', async () => {
    const { index, model, set } = fresh();
    await set('file:///w/refs.bib', '@inproceedings{schulman2015trust, title={Trust Region Policy Optimization}, author={Schulman, John and Levine, Sergey}, booktitle={ICML}, year={2015}}');
    await set(
      'file:///w/mylib.bib',
      '@string{icml = "International Conference on Machine Learning"}\n@inproceedings{Schulman:2015:TRPO, title={Trust Region Policy Optimization}, author={John Schulman}, booktitle=icml, year=2015}',
    );
    const paper = index.byKey('schulman2015trust')!;
    assert.equal(index.byKey('Schulman:2015:TRPO'), paper);
    assert.equal(index.search('trust region policy optimization').filter((h) => h.paper.title === 'Trust Region Policy Optimization').length, 1);
    assert.equal(paper.key, 'Schulman:2015:TRPO', 'the first file in path order speaks (mylib.bib before refs.bib)');
    assert.deepEqual(new Set([paper.key, ...(paper.aliases ?? [])]), new Set(['schulman2015trust', 'Schulman:2015:TRPO']));
    assert.equal(paper.origins?.length, 2);
    assert.equal(model.counts().papers, 119, 'TRPO is bundled: still 119 distinct papers');
    assert.deepEqual({ ...model.counts(), papers: 0 }, { papers: 0, bundledOnly: 118, userOnly: 0, both: 1, entries: 2 });
  });

  it('tells papers apart when only the key is shared: a key conflict, two papers', async () => {
    const { index, set } = fresh();
    await set('a.bib', '@misc{dup, title={First Duplicate Paper}, year=2020}');
    await set('b.bib', '@misc{dup, title={Second Different Paper}, year=2021}');
    assert.equal(index.allByKey('dup').length, 2);
    await set('b.bib', '@misc{dup, title={First Duplicate Paper}, year=2020}');
    assert.equal(index.allByKey('dup').length, 1, 'an identical copy is the same paper');
  });

  it('splits a paper of three records when the one joining them goes, the record read again under its old id', async () => {
    // A crossref entry (read again at every save, under its old id) shares its key and title
    // with an entry that shares an arXiv id with a bundled paper: one paper of three
    // records. Once that entry is deleted, the crossref entry is a paper of its own, and
    // the change says so (the fast-check property below found it).
    const { index, model, set } = fresh();
    const entry = (arxiv: boolean) => `@inproceedings{a, title = {Widgets of Many Kinds}, year = 2023${arxiv ? ', eprint = {2309.02214}, archivePrefix = {arXiv}' : ''}, crossref = {proc}}`;
    await set('a.bib', `${entry(false)}\n${entry(true)}`);
    assert.equal(index.size, 119);
    await set('a.bib', entry(false));
    assert.equal(model.size, 120);
    assert.equal(index.size, 120);
    assert.equal(index.byKey('a')?.title, 'Widgets of Many Kinds');
  });

  it('fills macros a file does not define from the other files, and follows their changes', async () => {
    const { index, set, remove } = fresh();
    await set('file:///w/refs.bib', '@article{k, title={A Made-up Study of Widgets}, journal=jml, year=2020}');
    assert.equal(index.byKey('k')?.venue, 'jml', 'undefined: shown by name');
    await set('file:///w/macros.bib', '@string{jml = {Journal of Made-up Learning}}');
    assert.equal(index.byKey('k')?.venue, 'Journal of Made-up Learning');
    await remove('file:///w/macros.bib');
    assert.equal(index.byKey('k')?.venue, 'jml');
  });

  it('inherits a crossref to an entry of another file', async () => {
    const { index, set } = fresh();
    await set('file:///w/a.bib', '@proceedings{proc, title={Proceedings of Widgets}, year=1999}');
    await set('file:///w/b.bib', '@inproceedings{p, title={A Paper on Widgets and Gadgets}, crossref={proc}}');
    assert.equal(index.byKey('p')?.venue, 'Proceedings of Widgets');
    assert.equal(index.byKey('p')?.year, 1999);
  });

  it('inherits a crossref to another file whichever file is read first, and follows the parent file\'s edits and removal', async () => {
    const { index, set, remove } = fresh();
    await set('file:///w/b.bib', '@inproceedings{p, title={A Paper on Widgets and Gadgets}, crossref={proc}}');
    assert.equal(index.byKey('p')?.venue, undefined, 'no parent yet');
    await set('file:///w/a.bib', '@proceedings{proc, title={Proceedings of Widgets}, year=1999}');
    assert.equal(index.byKey('p')?.venue, 'Proceedings of Widgets', 'the child is read again once its parent arrives');
    assert.equal(index.byKey('p')?.year, 1999);
    await set('file:///w/a.bib', '@proceedings{proc, title={Proceedings of Gadgets}, year=2001}');
    assert.equal(index.byKey('p')?.venue, 'Proceedings of Gadgets');
    assert.equal(index.byKey('p')?.year, 2001);
    await remove('file:///w/a.bib');
    assert.equal(index.byKey('p')?.venue, undefined);
    assert.equal(index.byKey('p')?.title, 'A Paper on Widgets and Gadgets');
  });

  it('reads a DBLP-style file (every paper crossrefs its proceedings) in time proportional to its size', async () => {
    // Each crossref used to scan the file for its parent: 20,000 such entries took 97 s.
    const procs = Array.from({ length: 20 }, (_, i) => `@proceedings{conf/x/${i}, title={Proceedings of X ${i}}, year=${2000 + i}}`);
    const papers = Array.from({ length: 4000 }, (_, i) => `@inproceedings{conf/x/p${i}, title={Paper ${i}}, author={Ann Author${i}}, crossref={conf/x/${i % 20}}}`);
    const text = [...papers, ...procs].join('\n');
    const model = new LibraryModel([]);
    const r = parseBibtex(text);
    let lookups = 0;
    const entries = new Proxy(r.entries, {
      get(target, prop, receiver) {
        if (prop === 'some' || prop === 'find') {
          lookups++;
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const change = await model.setFile({ file: 'file:///w/dblp.bib', text, entries, strings: r.strings });
    assert.ok(lookups < 10, `the entries were scanned ${lookups} times`);
    assert.equal(change.upserted.find((p) => p.key === 'conf/x/p45')?.venue, 'Proceedings of X 5');
  });

  it('yields while reading a long file', async () => {
    const index = PaperIndex.build(bundledPapers());
    const model = new LibraryModel(index.papers);
    const text = Array.from({ length: 1200 }, (_, i) => `@misc{k${i}, title={Entry number ${i} of many}}`).join('\n');
    const r = parseBibtex(text);
    let pauses = 0;
    // With a slice of 0 ms the model pauses at every check: after each 16 steps of each
    // loop over the entries. Reading 1,200 entries, then grouping the records into papers
    // (the touched records, their groups), is at least three such loops.
    index.apply(await model.setFile({ file: 'big.bib', text, entries: r.entries, strings: r.strings }, async () => void pauses++, 0));
    assert.ok(pauses >= 3 * 75, `${pauses} pauses`);
    assert.equal(index.size, 119 + 1200);
    // Saving it again also pauses while it matches the old entries (from both ends: the
    // same fields), surveys the file, decides what it keeps, lets the rest go and walks
    // the entries again.
    pauses = 0;
    index.apply(await model.setFile({ file: 'big.bib', text, entries: r.entries, strings: r.strings }, async () => void pauses++, 0));
    assert.ok(pauses >= 5 * 75, `${pauses} pauses`);
    // Removing the file pauses while it lets the entries go and forgets their papers.
    pauses = 0;
    index.apply(await model.removeFile('big.bib', async () => void pauses++, 0));
    assert.ok(pauses >= 75 + 75, `${pauses} pauses`);
    assert.equal(index.size, 119);
  });

  it('keeps the ids of unchanged entries when a file is saved again, so only the edited entry is indexed again', async () => {
    const index = PaperIndex.build(bundledPapers());
    const model = new LibraryModel(index.papers);
    const text = Array.from({ length: 50 }, (_, i) => `@misc{k${i}, title={Entry number ${i} of many}}`).join('\n');
    const r = parseBibtex(text);
    const first = await model.setFile({ file: 'big.bib', text, entries: r.entries, strings: r.strings });
    index.apply(first);
    const k8 = index.byKey('k8');
    // One entry edited, and a line added above everything (every entry moves down).
    const edited = `% a comment\n${text.replace('Entry number 7 of many', 'Entry number seven, edited')}`;
    const e = parseBibtex(edited);
    const before = PaperIndex.lookupsOnly(index.papers);
    const second = await model.setFile({ file: 'big.bib', text: edited, entries: e.entries, strings: e.strings });
    assert.equal(second.removed.length, 1, 'the edited entry’s old paper');
    const forText = await fullTextChange(before, second);
    assert.deepEqual(forText.upserted.map((p) => p.key), ['k7']);
    index.apply(second);
    assert.equal(index.byKey('k8')?.id, first.upserted.find((p) => p.key === 'k8')?.id);
    assert.equal(index.byKey('k8')?.origin?.line, 10, 'the paper itself follows the move');
    assert.equal(index.byKey('k8'), k8, 'as the same paper: a move makes nothing anew');
    assert.deepEqual(second.upserted.map((p) => p.key), ['k7']);
    assert.equal(index.search('seven edited')[0]?.paper.key, 'k7');
  });

  it('moves the lines of papers of several records too when a save moves their entries, bundled or not', async () => {
    const bundled = bundledPapers();
    const index = PaperIndex.build(bundled);
    const model = new LibraryModel(index.papers);
    const known = bundled.find((p) => p.arxiv)!;
    const text = [
      `@misc{mine, title={${known.title}}, eprint={${known.arxiv}}, archiveprefix={arXiv}}`,
      '@article{twinA, title={A paper filed twice}, doi={10.1234/twice}}',
      '@article{twinB, title={A paper filed twice}, doi={10.1234/twice}, year={2020}}',
      '@misc{alone, title={Standing alone}}',
    ].join('\n');
    const r = parseBibtex(text);
    index.apply(await model.setFile({ file: 'a.bib', text, entries: r.entries, strings: r.strings }));
    const lines = (key: string) => (index.byKey(key)?.origins ?? []).map((o) => `${o.key}:${o.line}`);
    assert.deepEqual(lines('mine'), ['mine:1']);
    assert.equal(index.byKey('mine')?.id, known.id, 'merged with the bundled paper');
    assert.deepEqual(lines('twinA'), ['twinA:2', 'twinB:3']);
    const moved = `% added\n% lines\n${text}`;
    const e = parseBibtex(moved);
    const change = await model.setFile({ file: 'a.bib', text: moved, entries: e.entries, strings: e.strings });
    index.apply(change);
    assert.deepEqual(lines('mine'), ['mine:3']);
    assert.deepEqual(lines('twinA'), ['twinA:4', 'twinB:5']);
    assert.deepEqual(lines('alone'), ['alone:6']);
    assert.equal(index.byKey('mine')?.origin?.line, 3);
    assert.deepEqual(change.removed, [], 'no paper went');
    assert.ok(!change.upserted.some((p) => p.key === 'alone'), 'a paper of its own follows in place');
  });

  it('gives a save re-parsed around its edit the same papers and ids as one parsed whole, and changes only what moved or was edited', async () => {
    const text = Array.from({ length: 60 }, (_, i) => `@misc{k${i},\n  title={Entry number ${i} of many}\n}`).join('\n');
    // An edit that adds a line to entry 40: entries 0–39 neither change nor move.
    const edited = text.replace('Entry number 40 of many', 'Entry number forty,\n  note={edited}');
    const run = async (reparsed: boolean) => {
      const index = PaperIndex.build(bundledPapers());
      const model = new LibraryModel(index.papers);
      const r = parseBibtex(text);
      index.apply(await model.setFile({ file: 'big.bib', text, entries: r.entries, strings: r.strings }));
      const zText = '@misc{z1, title={Another file, read after}}';
      const z = parseBibtex(zText);
      index.apply(await model.setFile({ file: 'z.bib', text: zText, entries: z.entries, strings: z.strings }));
      const order = index.papers.map((p) => p.key);
      const e = reparsed ? await reparseBibtexInSlices(text, r, edited, async () => undefined) : parseBibtex(edited);
      const change = await model.setFile({ file: 'big.bib', text: edited, entries: e.entries, strings: e.strings });
      index.apply(change);
      return { change, index, order, e, r };
    };
    const whole = await run(false);
    const around = await run(true);
    assert.equal(around.e.entries[10], around.r.entries[10], 'the re-parse hands over entries before the edit as they were');
    const view = (x: typeof whole) => x.index.papers.map((p) => [p.id, p.key, p.title, p.origin?.line]);
    assert.deepEqual(view(around), view(whole));
    for (const x of [whole, around]) {
      assert.deepEqual(x.change.upserted.map((p) => p.key), ['k40'], 'the edited entry only: those below it moved, their papers followed in place');
      assert.equal(x.change.removed.length, 1, 'the edited entry’s old paper');
      assert.equal(x.index.byKey('k50')?.origin?.line, 152);
      assert.deepEqual(x.index.papers.map((p) => p.key).filter((k) => k !== 'k40'), x.order.filter((k) => k !== 'k40'), 'a moved paper keeps its place');
    }
  });
});

describe('saves followed one after another (fast-check, seeded)', () => {
  // Two files edited in turn: entries added, deleted, edited, moved down by blank lines;
  // shared arXiv ids and DOIs (one the bundled paper's) merge records within and across
  // files, a macro and a crossref reach from one file into the other.
  interface Entry {
    readonly key: string;
    readonly title: string;
    readonly arxiv: string | null;
    readonly doi: string | null;
    readonly macro: boolean;
    readonly crossref: boolean;
  }
  const entry = fc.record({
    key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'),
    title: fc.constantFrom('Widgets of Many Kinds', 'Gadgets for Everyone', 'Sprockets Considered Harmful', 'Improving equilibrium propagation without weight symmetry'),
    arxiv: fc.option(fc.constantFrom('2309.02214', '2101.00001', '2101.00002')),
    doi: fc.option(fc.constantFrom('10.1/one', '10.1/two')),
    macro: fc.boolean(),
    crossref: fc.boolean(),
  });
  const op = fc.record({
    file: fc.constantFrom('a.bib', 'b.bib'),
    kind: fc.constantFrom('add', 'add', 'delete', 'edit', 'shift', 'strings', 'parent'),
    at: fc.nat(),
    entry,
    value: fc.constantFrom('Venue One', 'Venue Two'),
    reparse: fc.boolean(),
  });
  const text = (entries: readonly Entry[], head: string, tail: string) =>
    head +
    entries
      .map(
        (e) =>
          `@inproceedings{${e.key},\n  title = {${e.title}},\n  year = 2023` +
          (e.arxiv ? `,\n  eprint = {${e.arxiv}}, archivePrefix = {arXiv}` : '') +
          (e.doi ? `,\n  doi = {${e.doi}}` : '') +
          (e.macro ? ',\n  journal = ven' : '') +
          (e.crossref ? ',\n  crossref = {proc}' : '') +
          '\n}\n',
      )
      .join('\n') +
    tail;
  /** A paper as the library shows it, without its id (a fresh read numbers records anew). */
  const shown = (p: Paper) =>
    JSON.stringify([p.key, p.title, p.year, p.venue, p.arxiv, p.doi, p.source, [...(p.aliases ?? [])].sort(), (p.origins ?? []).map((o) => [o.file, o.line, o.key, o.bundledId])]);

  it('leaves the library as a fresh read of the final files, with changes that bring an index there', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
        const index = PaperIndex.build(bundledPapers());
        const model = new LibraryModel(index.papers);
        const files = new Map<string, { entries: Entry[]; head: string; tail: string; text?: string; parsed?: ReturnType<typeof parseBibtex> }>([
          ['a.bib', { entries: [], head: '', tail: '' }],
          ['b.bib', { entries: [], head: '', tail: '' }],
        ]);
        for (const o of ops) {
          const f = files.get(o.file)!;
          const at = f.entries.length === 0 ? 0 : o.at % f.entries.length;
          if (o.kind === 'add') {
            f.entries.splice(at, 0, o.entry);
          } else if (o.kind === 'delete') {
            f.entries.splice(at, 1);
          } else if (o.kind === 'edit' && f.entries.length > 0) {
            f.entries[at] = { ...f.entries[at], title: o.entry.title, arxiv: o.entry.arxiv };
          } else if (o.kind === 'shift') {
            f.head = `% moved down\n\n${f.head}`;
          } else if (o.kind === 'strings') {
            f.tail = f.tail.includes('@string') ? '' : `\n@string{ven = {${o.value}}}\n`;
          } else if (o.kind === 'parent') {
            f.tail = f.tail.includes('@proceedings') ? '' : `\n@proceedings{proc, booktitle = {${o.value}}, year = 2023}\n`;
          }
          const next = text(f.entries, f.head, f.tail);
          const parsed = o.reparse && f.text !== undefined ? await reparseBibtexInSlices(f.text, f.parsed!, next, async () => undefined) : parseBibtex(next);
          Object.assign(f, { text: next, parsed });
          index.apply(await model.setFile({ file: o.file, text: next, entries: parsed.entries, strings: parsed.strings, byKey: parsed.byKey }));
          // The changes keep an index in step: the very papers the model holds, under the same ids.
          const held = new Map(model.allPapers().map((p) => [p.id, p]));
          assert.equal(index.size, held.size);
          for (const p of index.papers) {
            assert.equal(held.get(p.id), p, `paper ${p.id} (${p.key}) after ${o.kind} in ${o.file}`);
          }
        }
        const freshIndex = PaperIndex.build(bundledPapers());
        const fresh = new LibraryModel(freshIndex.papers);
        for (const [file, f] of files) {
          if (f.text !== undefined) {
            const parsed = parseBibtex(f.text);
            await fresh.setFile({ file, text: f.text, entries: parsed.entries, strings: parsed.strings, byKey: parsed.byKey });
          }
        }
        assert.deepEqual(model.allPapers().map(shown).sort(), fresh.allPapers().map(shown).sort());
        assert.deepEqual(model.counts(), fresh.counts());
      }),
      { seed: 20261130, numRuns: 300 },
    );
  });
});

describe('identity', () => {
  it('knows a record by arXiv id, DOI, key and title, and title + year + first author', () => {
    const { keys, hashes } = identityOf({ key: 'k', title: 'Trust Region Policy Optimization', year: 2015, authors: ['John Schulman'], arxiv: '1502.05477', doi: '10.1/X' });
    assert.deepEqual(keys, ['arxiv:1502.05477', 'doi:10.1/x', 'key:k|trust region policy optimization', 'title:trust region policy optimization|2015|schulman']);
    assert.equal(new Set(hashes).size, 4);
    assert.deepEqual(identityOf({ key: 'k', title: 'Short', authors: [] }).keys, []);
  });

  it('hashes a key by its parts: the same key, however it came, the same hash', () => {
    const a = identityOf({ key: 'k', title: 'Trust  Region Policy Optimization!', year: 2015, authors: ['Schulman, John'], doi: '10.1/X' });
    const b = identityOf({ key: 'other', title: 'trust region policy optimization', year: 2015, authors: ['J. Schulman'], doi: '10.1/x' });
    assert.equal(a.keys[0], b.keys[0]);
    assert.equal(a.hashes[0], b.hashes[0], 'the DOI');
    assert.equal(a.keys[2], b.keys[2]);
    assert.equal(a.hashes[2], b.hashes[2], 'title, year and first author');
    assert.notEqual(a.hashes[1], b.hashes[1], 'another key');
  });

  it('keeps two records whose keys share a hash two papers, each found, each removed alone', async () => {
    // Two arXiv ids whose identity hashes collide (found by search over arXiv-style ids).
    const [one, two] = ['0704.03678', '0707.14480'];
    const a = identityOf({ key: 'a', title: 'x', authors: [], arxiv: one });
    const b = identityOf({ key: 'b', title: 'x', authors: [], arxiv: two });
    assert.equal(a.hashes[0], b.hashes[0], 'the precondition: the hashes collide');
    assert.notEqual(a.keys[0], b.keys[0]);
    const model = new LibraryModel(bundledPapers());
    const read = async (file: string, text: string) => {
      const r = parseBibtex(text);
      await model.setFile({ file, text, entries: r.entries, strings: r.strings, byKey: r.byKey });
    };
    await read('one.bib', `@misc{a, title = {Widgets}, eprint = {${one}}, archivePrefix = {arXiv}}`);
    await read('two.bib', `@misc{b, title = {Gadgets}, eprint = {${two}}, archivePrefix = {arXiv}}`);
    assert.equal(model.size, bundledPapers().length + 2);
    assert.equal(model.findSame({ key: '?', title: '', authors: [], arxiv: one })?.key, 'a');
    assert.equal(model.findSame({ key: '?', title: '', authors: [], arxiv: two })?.key, 'b');
    await model.removeFile('one.bib');
    assert.equal(model.findSame({ key: '?', title: '', authors: [], arxiv: one }), undefined);
    assert.equal(model.findSame({ key: '?', title: '', authors: [], arxiv: two })?.key, 'b');
  });

  it('leaves a large library read, partly removed, edited and read again as a fresh read of the final files', async () => {
    // Thousands of records: the identity table grows, and removals shift its entries back
    // (across the table's end too); shared DOIs and titles merge records across files.
    const entries = (file: string, count: number, edit = (_i: number) => '') =>
      Array.from({ length: count }, (_, i) =>
        [
          `@article{${file}${i}, title = {Paper ${file} number ${i} on widgets${edit(i)}}, author = {Doe${i % 17}, Jane}, year = ${2000 + (i % 20)}`,
          i % 10 === 0 ? `, doi = {10.5/shared${i}}` : '',
          i % 25 === 0 ? `, eprint = {2101.${String(i).padStart(5, '0')}}, archivePrefix = {arXiv}` : '',
          '}',
        ].join(''),
      ).join('\n');
    const model = new LibraryModel(bundledPapers());
    const read = async (m: LibraryModel, file: string, text: string) => {
      const r = parseBibtex(text);
      await m.setFile({ file, text, entries: r.entries, strings: r.strings, byKey: r.byKey });
    };
    const edited = (i: number) => (i % 7 === 0 ? ' revised' : '');
    await read(model, 'a.bib', entries('a', 3000));
    await read(model, 'b.bib', entries('b', 2000));
    assert.ok(model.size < bundledPapers().length + 5000, 'records sharing a DOI or an arXiv id are one paper');
    await model.removeFile('a.bib');
    await read(model, 'a.bib', entries('a', 2500, edited));
    await model.removeFile('b.bib');
    await read(model, 'c.bib', entries('b', 1500));
    const fresh = new LibraryModel(bundledPapers());
    await read(fresh, 'a.bib', entries('a', 2500, edited));
    await read(fresh, 'c.bib', entries('b', 1500));
    const shown = (p: Paper) => JSON.stringify([p.key, p.title, p.doi, p.arxiv, [...(p.aliases ?? [])].sort(), (p.origins ?? []).map((o) => [o.file, o.key])]);
    assert.deepEqual(model.allPapers().map(shown).sort(), fresh.allPapers().map(shown).sort());
    assert.deepEqual(model.counts(), fresh.counts());
    for (const p of fresh.allPapers().filter((q) => q.doi)) {
      assert.equal(model.findSame({ key: '?', title: '', authors: [], doi: p.doi })?.key, p.key);
    }
  });
});

describe('parser properties (fast-check, seeded)', () => {
  const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,8}$/);
  const value = fc.stringMatching(/^[A-Za-z0-9 .,:;!?'()-]{0,30}$/);
  const entry = fc.record({ key: word, title: value, year: fc.integer({ min: 1900, max: 2100 }) });
  const broken = fc.constantFrom(
    '@article{bad1, title={unbalanced\n',
    '@article{bad2, title="unterminated\n',
    '@article{bad3 title={x}\n',
    '@@@\n',
    '@article{, title={no key}}\n',
    '@string{oops}\n',
    '}}}\n',
  );

  it('recovers every valid entry whatever broken ones are interleaved, and always returns', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(entry, fc.option(broken)), { maxLength: 25, selector: ([e]) => e.key }), (items) => {
        const valid = items;
        const text = items
          .map(([e, bad]) => `@article{${e.key},\n  title = {${e.title}},\n  year = ${e.year}\n}\n${bad ?? ''}`)
          .join('\n');
        const parsed = parseBibtex(text);
        const keys = new Set(parsed.entries.map((x) => x.key));
        for (const [e] of valid) {
          assert.ok(keys.has(e.key), `${e.key} lost in:\n${text}`);
        }
        for (const x of parsed.entries) {
          if (x.incomplete) {
            // A broken entry with its key: kept with the fields before the damage.
            assert.match(x.key, /^bad\d$/, `invented entry ${x.key}`);
            continue;
          }
          const original = items.find(([e]) => e.key === x.key)?.[0];
          assert.ok(original, `invented entry ${x.key}`);
          assert.equal(x.fields.title, original.title);
        }
      }),
      { seed: 20261128, numRuns: 300 },
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('@', '{', '}', '(', ')', '"', ',', '=', '#', '%', '\\', '\n', ' ', 'a', 'b', '1') , maxLength: 400 }), (text) => {
        const r = parseBibtex(text);
        assert.ok(Array.isArray(r.entries) && Array.isArray(r.errors));
      }),
      { seed: 42, numRuns: 1000 },
    );
  });
});
