// The user's Zotero library in Paperscope's library: when Zotero's local API answers, its
// items join as one more .bib "file" (`zotero:/library.bib`), written by our writer with
// Better BibTeX's keys where there are any. So they are searched, hovered, completed,
// grouped by source ("Zotero") and cited like the user's .bib entries, and the same
// paper in Zotero and in a .bib file is one paper.
import * as vscode from 'vscode';
import { parseBibtex } from '../../core/bib/parser';
import { bibtexEntry } from '../../core/bib/writer';
import { paperFromWork } from '../../core/online/papers';
import type { Library } from '../library';
import type { Online } from './online';

export const ZOTERO_LIBRARY = vscode.Uri.parse('zotero:/library.bib');

export class ZoteroLibrary implements vscode.Disposable {
  private loading: Promise<number> | undefined;

  constructor(
    private readonly online: Online,
    private readonly library: Library,
  ) {}

  /** Reads Zotero's items into the library (again); the number of items, or 0 when Zotero does not answer. */
  refresh(): Promise<number> {
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async load(): Promise<number> {
    if ((await this.online.probeZotero()) !== 'running') {
      await this.library.applyBibChange({ uri: ZOTERO_LIBRARY });
      return 0;
    }
    const works = await this.online.zoteroItems();
    const taken = new Set<string>();
    const text = works
      .map((work, i) => {
        const paper = paperFromWork(work, -1 - i, taken);
        taken.add(paper.key);
        return bibtexEntry(paper);
      })
      .join('\n');
    await this.library.applyBibChange({ uri: ZOTERO_LIBRARY, file: { uri: ZOTERO_LIBRARY, text, result: parseBibtex(text) } });
    return works.length;
  }

  dispose(): void {
    this.loading = undefined;
  }
}
