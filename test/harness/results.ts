import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** What each tier reports to scripts/test.mjs. */
export interface TierResult {
  passed: number;
  failed: number;
  skipped: number;
  failures: { title: string; error: string }[];
}

export function writeResult(file: string, result: TierResult): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(result, null, 2));
}

export function readResult(file: string): TierResult | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as TierResult;
  } catch {
    return undefined;
  }
}
