import { assignCitationKeys } from '../cite/citationKey';
import { isArxivId } from './identifiers';
import type { CorpusRecord, Paper } from './paper';

/** A corpus record that failed validation, with the 1-based line it came from. */
export class CorpusError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'CorpusError';
  }
}


function optionalString(value: unknown, field: string, line: number): string | null {
  if (value === null || value === undefined) {
    return null;
  }
  if (typeof value !== 'string') {
    throw new CorpusError(line, `"${field}" must be a string or null`);
  }
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** Validates one parsed JSON value as a corpus record; throws CorpusError naming the line. */
export function validateCorpusRecord(value: unknown, line: number): CorpusRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CorpusError(line, 'expected a JSON object');
  }
  const r = value as Record<string, unknown>;
  if (typeof r.title !== 'string' || r.title.trim() === '') {
    throw new CorpusError(line, '"title" must be a non-empty string');
  }
  if (typeof r.abstract !== 'string') {
    throw new CorpusError(line, '"abstract" must be a string');
  }
  if (!Array.isArray(r.authors) || r.authors.some((a) => typeof a !== 'string' || a.trim() === '')) {
    throw new CorpusError(line, '"authors" must be an array of non-empty strings');
  }
  if (typeof r.year !== 'number' || !Number.isInteger(r.year) || r.year < 1600 || r.year > 2100) {
    throw new CorpusError(line, '"year" must be an integer between 1600 and 2100');
  }
  const arxiv = optionalString(r.arxiv, 'arxiv', line);
  if (arxiv !== null && !isArxivId(arxiv)) {
    throw new CorpusError(line, `"arxiv" is not an arXiv identifier: ${JSON.stringify(arxiv)}`);
  }
  const url = optionalString(r.url, 'url', line);
  if (url !== null && !/^https?:\/\//i.test(url)) {
    throw new CorpusError(line, '"url" must be an http(s) URL');
  }
  const confidence = r.metadataConfidence ?? 'high';
  if (confidence !== 'high' && confidence !== 'low') {
    throw new CorpusError(line, '"metadataConfidence" must be "high" or "low"');
  }
  return {
    title: r.title.trim(),
    abstract: r.abstract.trim(),
    authors: (r.authors as string[]).map((a) => a.trim()),
    year: r.year,
    arxiv,
    venue: optionalString(r.venue, 'venue', line),
    url,
    metadataSource: optionalString(r.metadataSource, 'metadataSource', line),
    metadataConfidence: confidence,
  };
}

/** Parses JSON Lines into validated records; blank lines are skipped, anything else bad throws. */
export function parseCorpusJsonl(text: string): CorpusRecord[] {
  const records: CorpusRecord[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const seenArxiv = new Map<string, number>();
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') {
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      throw new CorpusError(line, `invalid JSON (${(err as Error).message})`);
    }
    const record = validateCorpusRecord(value, line);
    if (record.arxiv) {
      const first = seenArxiv.get(record.arxiv);
      if (first !== undefined) {
        throw new CorpusError(line, `arXiv id ${record.arxiv} already appears on line ${first}`);
      }
      seenArxiv.set(record.arxiv, line);
    }
    records.push(record);
  });
  return records;
}

/** Turns corpus records into keyed papers, ids following record order. */
export function papersFromCorpus(records: readonly CorpusRecord[]): Paper[] {
  const keys = assignCitationKeys(records);
  return records.map((r, id) => ({
    id,
    key: keys[id],
    title: r.title,
    authors: r.authors,
    year: r.year,
    venue: r.venue ?? undefined,
    arxiv: r.arxiv ?? undefined,
    url: r.url ?? (r.arxiv ? `https://arxiv.org/abs/${r.arxiv}` : undefined),
    abstract: r.abstract,
    source: 'bundled',
    lowConfidence: r.metadataConfidence === 'low' ? true : undefined,
  }));
}
