import * as vscode from 'vscode';
import { PaperIndex, type SerializedLibrary } from '../core/searchIndex';

/** Reads the index built at build time; never re-indexes. Uses workspace.fs so it also works on the web. */
export async function loadBundledIndex(extensionUri: vscode.Uri): Promise<PaperIndex> {
  const uri = vscode.Uri.joinPath(extensionUri, 'dist', 'library.json');
  const bytes = await vscode.workspace.fs.readFile(uri);
  const lib = JSON.parse(new TextDecoder().decode(bytes)) as SerializedLibrary;
  return PaperIndex.load(lib);
}

/** The papers every feature searches. Later issues add user libraries and change events. */
export class Library implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changeEmitter.event;

  constructor(private current: PaperIndex) {}

  get index(): PaperIndex {
    return this.current;
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}
