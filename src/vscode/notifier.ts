import * as vscode from 'vscode';

/** Messages to the user, also kept (the last few) so tests can see what the user was told. */
export class Notifier {
  readonly recent: { readonly level: 'error' | 'warning' | 'info'; readonly message: string }[] = [];

  private remember(level: 'error' | 'warning' | 'info', message: string): void {
    this.recent.push({ level, message });
    if (this.recent.length > 20) {
      this.recent.shift();
    }
  }

  error(message: string): void {
    this.remember('error', message);
    void vscode.window.showErrorMessage(message);
  }

  warn(message: string): void {
    this.remember('warning', message);
    void vscode.window.showWarningMessage(message);
  }

  info(message: string): void {
    this.remember('info', message);
    void vscode.window.showInformationMessage(message);
  }
}
