// Converts a corpus in JSON Lines (one paper per line) into resources/papers.json,
// validating every record. Usage: npm run import-corpus -- [path/to/papers.jsonl]
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CorpusError, parseCorpusJsonl } from '../src/core/library/corpus';

const input = resolve(process.argv[2] ?? '../shared/corpus/papers.jsonl');
const output = resolve(process.argv[3] ?? 'resources/papers.json');

try {
  const records = parseCorpusJsonl(readFileSync(input, 'utf8'));
  // One record per line keeps diffs of the data readable.
  const body = records.map((r) => `  ${JSON.stringify(r)}`).join(',\n');
  writeFileSync(output, `[\n${body}\n]\n`);
  console.log(`imported ${records.length} papers from ${input} into ${output}`);
} catch (err) {
  if (err instanceof CorpusError) {
    console.error(`${input}:${err.line}: ${err.reason}`);
    process.exit(1);
  }
  throw err;
}
