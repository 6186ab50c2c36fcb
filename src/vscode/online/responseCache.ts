// Answers of the online services kept in the extension's global storage, so a repeated
// query or identifier is instant and works offline afterwards. Bounded in size (oldest
// go first) and in age (searches a day, identifiers a month); a broken entry is dropped.
import * as vscode from 'vscode';
import type { HttpResponse } from '../../core/online/types';
import { sha256Text } from '../../core/text/digest';

const MAX_BYTES = 20 * 1024 * 1024;
const INDEX = 'index.json';

interface IndexEntry {
  readonly at: number;
  readonly size: number;
}

export class ResponseCache {
  private index: Record<string, IndexEntry> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly dir: vscode.Uri) {}

  private async loadIndex(): Promise<Record<string, IndexEntry>> {
    if (!this.index) {
      try {
        const parsed = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.dir, INDEX)))) as unknown;
        this.index = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, IndexEntry>) : {};
      } catch {
        this.index = {};
      }
    }
    return this.index;
  }

  /** The kept answer for a request, if younger than `maxAgeMs`. */
  async get(requestKey: string, maxAgeMs: number): Promise<HttpResponse | undefined> {
    const key = sha256Text(requestKey);
    const entry = (await this.loadIndex())[key];
    if (!entry || Date.now() - entry.at > maxAgeMs) {
      return undefined;
    }
    try {
      const value = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.dir, `${key}.json`)))) as HttpResponse;
      return typeof value?.status === 'number' && typeof value.body === 'string' ? value : undefined;
    } catch {
      return undefined;
    }
  }

  /** Keeps a successful answer; evicts the oldest answers past the size bound. */
  async put(requestKey: string, response: HttpResponse): Promise<void> {
    const key = sha256Text(requestKey);
    const text = JSON.stringify({ status: response.status, headers: {}, body: response.body });
    this.writing = this.writing.then(async () => {
      try {
        const index = await this.loadIndex();
        await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(this.dir, `${key}.json`), new TextEncoder().encode(text));
        index[key] = { at: Date.now(), size: text.length };
        let total = Object.values(index).reduce((n, e) => n + e.size, 0);
        for (const [k, e] of Object.entries(index).sort((a, b) => a[1].at - b[1].at)) {
          if (total <= MAX_BYTES) {
            break;
          }
          delete index[k];
          total -= e.size;
          await vscode.workspace.fs.delete(vscode.Uri.joinPath(this.dir, `${k}.json`)).then(undefined, () => undefined);
        }
        await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(this.dir, INDEX), new TextEncoder().encode(JSON.stringify(index)));
      } catch {
        // A cache that cannot be written only makes the next search slower.
      }
    });
    await this.writing;
  }
}
