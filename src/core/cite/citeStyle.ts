// How a document cites, so that a new citation looks like the ones already there: the
// LaTeX command it uses most, else the one its packages imply, else the user's setting.
import { maskLatex } from '../detect/mask';
import { citeCommand } from './citeCommands';

/** Commands that print only part of a citation (an author, a year, a title) or none: never the one to copy. */
const PARTIAL = new Set([
  'nocite', 'citeauthor', 'Citeauthor', 'citefullauthor', 'citeyear', 'citeyearpar', 'citedate', 'citetitle',
  'Citetitle', 'citeurl', 'citeurldate', 'citefield', 'citename', 'citelist', 'bibentry', 'fullcite', 'footfullcite',
  'citeyearNP', 'citeauthorNP', 'headlessfullcite', 'citenum',
]);

/** The command a citation package makes the natural one. */
const PACKAGE_DEFAULTS: readonly [RegExp, string][] = [
  [/^natbib$/, 'citep'],
  [/^biblatex(?:-\w+)?$/, 'autocite'],
  [/^(?:apacite|jurabib|cite|chicago|harvard)$/, 'cite'],
];

/** `\usepackage[…]{a,b}` package names of a (masked) LaTeX document. */
function packages(masked: string): string[] {
  const out: string[] = [];
  for (const m of masked.matchAll(/\\(?:usepackage|RequirePackage)\s*(?:\[[^\]]*\])?\s*\{([^{}]*)\}/g)) {
    out.push(...m[1].split(',').map((p) => p.trim()).filter(Boolean));
  }
  return out;
}

/**
 * The LaTeX citation command (name, star kept) a new citation in this document should
 * use: the full citation command used most often, else the one its citation package
 * implies (`natbib` → `citep`, `biblatex` → `autocite`), else `fallback`.
 */
export function documentCiteCommand(text: string, fallback: string, extra?: ReadonlySet<string>): string {
  const masked = maskLatex(text);
  const counts = new Map<string, number>();
  for (const m of masked.matchAll(/\\([A-Za-z]+\*?)(?=\s*[[{])/g)) {
    const name = m[1].replace(/\*$/, '');
    const command = citeCommand(name, extra);
    if (command && !command.multi && !command.keysArg && !PARTIAL.has(name)) {
      counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
    }
  }
  let best: string | undefined;
  for (const [name, n] of counts) {
    if (best === undefined || n > counts.get(best)!) {
      best = name;
    }
  }
  if (best) {
    return best;
  }
  for (const pkg of packages(masked)) {
    const implied = PACKAGE_DEFAULTS.find(([re]) => re.test(pkg));
    if (implied) {
      return implied[1];
    }
  }
  return fallback;
}
