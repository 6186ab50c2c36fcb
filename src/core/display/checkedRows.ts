// The checked rows of a multi-select list whose rows the extension host replaces while
// the user ticks them (search results arriving service by service).
//
// VS Code's window unchecks every row when the extension sends it new rows, so the host
// sends the checked ones with each list. A tick the user makes while such a list is on
// its way is reported to the host and then undone on screen by the list, which carried
// the checks as the host knew them. The window also reports the checks the host sends
// (an echo), so a report is the user's or an echo of some earlier sending, and no
// message says which. The rule: every report is taken as the checks on screen; one that
// checks a row the host did not know as checked, and is not the checks of a recent
// sending (so not an echo), is a tick, sent back so that it shows again if a list undid
// it. An echo never causes a sending: the exchange ends.

/** How many sendings may be on their way at once (a list per service, and ticks sent back). */
const RECENT = 16;

const signature = (keys: ReadonlySet<string>): string => JSON.stringify([...keys].sort());

/** The checks as the window last had them, as far as the host knows. */
export class CheckedRows {
  private shown = new Set<string>();
  private readonly recent: string[] = [];

  /** The host sends these checks (with a new list, or back). */
  sent(keys: Iterable<string>): void {
    this.shown = new Set(keys);
    this.recent.push(signature(this.shown));
    if (this.recent.length > RECENT) {
      this.recent.shift();
    }
  }

  /**
   * The window reports these checks. True when they are the user's tick: the caller
   * sends them back (and tells `sent`).
   */
  reported(keys: Iterable<string>): boolean {
    const now = new Set(keys);
    const ticked = [...now].some((k) => !this.shown.has(k)) && !this.recent.includes(signature(now));
    this.shown = now;
    return ticked;
  }
}
