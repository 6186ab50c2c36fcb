// Builds dist/library.json from resources/papers.json: keys assigned, records
// re-validated, MiniSearch index built once here so activation only loads it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CorpusError, papersFromCorpus, validateCorpusRecord } from '../src/core/library/corpus';
import { PaperIndex } from '../src/core/search/searchIndex';

const input = resolve(process.argv[2] ?? 'resources/papers.json');
const output = resolve(process.argv[3] ?? 'dist/library.json');

const raw: unknown = JSON.parse(readFileSync(input, 'utf8'));
if (!Array.isArray(raw)) {
  console.error(`${input}: expected a JSON array of papers`);
  process.exit(1);
}
try {
  // Line numbers match the one-record-per-line layout written by importCorpus.
  const records = raw.map((r, i) => validateCorpusRecord(r, i + 2));
  const index = PaperIndex.build(papersFromCorpus(records));
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, JSON.stringify(index.serialize()));
  console.log(`library: ${index.size} papers → ${output}`);
} catch (err) {
  if (err instanceof CorpusError) {
    console.error(`${input}:${err.line}: ${err.reason}`);
    process.exit(1);
  }
  throw err;
}
