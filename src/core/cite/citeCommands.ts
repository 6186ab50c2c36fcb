// Which LaTeX commands cite, in one table: detection, completion, insertion and the
// "how does this document cite" rule all read it. A command not listed here is not a
// citation, however close its name (`\setcitestyle`, `\citetext`, `\bibliographystyle`).

/** How a citation command takes its keys. */
export interface CiteCommand {
  /** Several key groups in a row (`\cites{a}{b}`, biblatex's multicite commands). */
  readonly multi?: boolean;
  /** Which mandatory argument holds the keys, 1-based (`\volcite{vol}{key}` → 2). */
  readonly keysArg?: number;
}

const PLAIN: CiteCommand = {};
const MULTI: CiteCommand = { multi: true };
const SECOND: CiteCommand = { keysArg: 2 };

function table(names: string, spec: CiteCommand): [string, CiteCommand][] {
  return names
    .trim()
    .split(/\s+/)
    .map((n) => [n, spec]);
}

/**
 * The citation commands Paperscope knows, lower-case first letter: natbib, biblatex,
 * amsrefs, jurabib, apacite, chicago/harvard basics and `\nocite`. Each is recognised
 * with a capital first letter (`\Citet`, `\Parencite`) and starred (`\citep*`).
 */
export const CITE_COMMANDS: ReadonlyMap<string, CiteCommand> = new Map([
  // LaTeX and natbib
  ...table('cite nocite citet citep citealt citealp citeauthor citefullauthor citeyear citeyearpar citenum', PLAIN),
  // biblatex
  ...table(
    `parencite footcite footcitetext textcite smartcite autocite supercite citetitle citedate citeurl
     citeurldate fullcite footfullcite notecite pnotecite fnotecite citefield citename citelist
     headlessfullcite brackcite`,
    PLAIN,
  ),
  ...table('cites parencites footcites footcitetexts smartcites textcites supercites autocites', MULTI),
  ...table('volcite pvolcite fvolcite ftvolcite svolcite tvolcite avolcite', SECOND),
  // amsrefs (\cites takes one group of keys there, which reads the same)
  ...table('ocite ocites fullocite', PLAIN),
  // apacite, chicago, harvard
  ...table(
    `citeA citeNP citeyearNP citeauthorNP fullciteA fullciteNP shortcite shortciteA shortciteNP citeN
     shortciteN citeasnoun possessivecite bibentry`,
    PLAIN,
  ),
]);

const NAME_RE = /^[A-Za-z]{1,40}$/;

/** Whether a user-supplied command name (setting `paperscope.citation.commands`) is usable. */
export function isCommandName(name: unknown): name is string {
  return typeof name === 'string' && NAME_RE.test(name);
}

/**
 * The citation command a LaTeX command name (without backslash or star) is, if any:
 * listed (first letter in either case), or one of `extra` (the user's own commands,
 * which take one group of keys).
 */
export function citeCommand(name: string, extra: ReadonlySet<string> = NO_EXTRA): CiteCommand | undefined {
  const known = CITE_COMMANDS.get(name) ?? CITE_COMMANDS.get(name[0]?.toLowerCase() + name.slice(1));
  return known ?? (extra.has(name) ? PLAIN : undefined);
}

const NO_EXTRA: ReadonlySet<string> = new Set();

/** `\nocite{*}`: "all entries". Not a key. */
export const ALL_KEYS = '*';
