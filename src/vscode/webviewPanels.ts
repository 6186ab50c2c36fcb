import * as vscode from 'vscode';

// What every Paperscope webview panel shares (the detail pane, the Library overview):
// how it is allowed to run, where it may load from, its icon.

/** Scripts on (the page's CSP admits only nonce-bearing ones), no command links, only our own folders. */
export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
  };
}

/** Paperscope's icon on a panel's tab. */
export function panelIcon(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'media', 'paperscope.svg');
}

/** A file of the extension (under media/ or dist/webview/) as the page loads it. */
export function pageAsset(webview: vscode.Webview, extensionUri: vscode.Uri, ...path: string[]): string {
  return webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...path)).toString();
}
