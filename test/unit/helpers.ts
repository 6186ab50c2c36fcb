import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { papersFromCorpus, validateCorpusRecord } from '../../src/core/library/corpus';
import type { Paper } from '../../src/core/library/paper';
import { PaperIndex } from '../../src/core/search/searchIndex';

/** Repository root: the nearest folder above the bundled test with a package.json. */
export const ROOT = ((): string => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) {
    dir = dirname(dir);
  }
  return dir;
})();

/** The bundled corpus as the extension sees it. */
export function bundledPapers(): Paper[] {
  const raw = JSON.parse(readFileSync(join(ROOT, 'resources', 'papers.json'), 'utf8')) as unknown[];
  return papersFromCorpus(raw.map((r, i) => validateCorpusRecord(r, i + 2)));
}

let cached: PaperIndex | undefined;
/** One index over the bundled corpus, shared by the tests of a file. */
export function bundledIndex(): PaperIndex {
  cached ??= PaperIndex.build(bundledPapers());
  return cached;
}

/** A paper with defaults, for tests that only care about a few fields. */
export function makePaper(fields: Partial<Paper> & { title: string }): Paper {
  return {
    id: 0,
    key: 'test2024paper',
    authors: ['Ada Lovelace'],
    year: 2024,
    abstract: '',
    source: 'bundled',
    ...fields,
  };
}
