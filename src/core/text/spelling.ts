// British and American spellings of the same word ("Generalised" / "Generalized"), for
// matching titles written either way. Words are compared in their American form; the
// rules are a small table of the patterns that occur in paper titles, not a dictionary.
// Both sides of a comparison go through the same function, so a rule that also fires on
// an unrelated word ("promise" → "promize") merges nothing that matters.
import { ShardedMap } from './shardedMap';

/** Whole words whose forms differ by more than a suffix (British → American). */
const WORDS: ReadonlyMap<string, string> = new Map([
  ['programme', 'program'], ['programmes', 'programs'], ['catalogue', 'catalog'], ['catalogues', 'catalogs'],
  ['dialogue', 'dialog'], ['dialogues', 'dialogs'], ['analogue', 'analog'], ['analogues', 'analogs'],
  ['defence', 'defense'], ['defences', 'defenses'], ['licence', 'license'], ['offence', 'offense'],
  ['grey', 'gray'], ['judgement', 'judgment'], ['judgements', 'judgments'], ['acknowledgement', 'acknowledgment'],
  ['ageing', 'aging'], ['towards', 'toward'], ['afterwards', 'afterward'], ['learnt', 'learned'],
  ['spelt', 'spelled'], ['sceptical', 'skeptical'], ['scepticism', 'skepticism'], ['aluminium', 'aluminum'],
  ['manoeuvre', 'maneuver'], ['manoeuvres', 'maneuvers'], ['paediatric', 'pediatric'], ['enrol', 'enroll'],
  ['fulfil', 'fulfill'], ['skilful', 'skillful'], ['artefact', 'artifact'], ['artefacts', 'artifacts'],
  ['mould', 'mold'], ['tyre', 'tire'], ['whilst', 'while'], ['amongst', 'among'], ['oestrogen', 'estrogen'],
  ['anaesthesia', 'anesthesia'], ['haemoglobin', 'hemoglobin'], ['foetal', 'fetal'], ['orthopaedic', 'orthopedic'],
]);
const WORDS_BACK: ReadonlyMap<string, string[]> = (() => {
  const back = new Map<string, string[]>();
  WORDS.forEach((american, british) => back.set(american, [...(back.get(american) ?? []), british]));
  return back;
})();

/** Stems spelt -our in British English (behaviour, colour, neighbour…). */
const OUR_STEMS = 'behavio|colo|favo|neighbo|labo|flavo|hono|humo|rumo|vapo|harbo|armo|endeavo|savo|odo|rigo|vigo|tumo|valo|parlo|clamo|demeano|splendo|fervo|ardo';
/** Stems spelt -tre in British English (centre, fibre, metre…). */
const TRE_STEMS = 'cen|fib|thea|spec|calib|li|me|sab|meag|lus|som|reconnoi';

const RULES: readonly (readonly [RegExp, string])[] = [
  [/^(.{2,})isation(s?)$/, '$1ization$2'],
  [/^(.{3,})is(e|ed|es|ing|er|ers|able)$/, '$1iz$2'],
  [/^(.{2,})ys(e|ed|es|ing|er|ers)$/, '$1yz$2'],
  [new RegExp(`^(${OUR_STEMS})ur(.*)$`), '$1r$2'],
  [new RegExp(`^(${TRE_STEMS})tre(s?)$`), '$1ter$2'],
  [new RegExp(`^(${TRE_STEMS})tr(ed|ing)$`), '$1ter$2'],
  [/^(.*[^aeiou][aeiou])ll(ed|ing|er|ers|or|ors)$/, '$1l$2'],
];

/** A folded (lower-case ASCII) word in its American spelling: `generalised` → `generalized`. */
export function americanSpelling(word: string): string {
  const whole = WORDS.get(word);
  if (whole) {
    return whole;
  }
  for (const [re, to] of RULES) {
    if (re.test(word)) {
      return word.replace(re, to);
    }
  }
  return word;
}

/** The rules the other way (American → British), each a candidate `spellingVariants` checks. */
const BACK_RULES: readonly (readonly [RegExp, string])[] = [
  [/^(.{2,})ization(s?)$/, '$1isation$2'],
  [/^(.{3,})iz(e|ed|es|ing|er|ers|able)$/, '$1is$2'],
  [/^(.{2,})yz(e|ed|es|ing|er|ers)$/, '$1ys$2'],
  [new RegExp(`^(${OUR_STEMS})r(.*)$`), '$1ur$2'],
  [new RegExp(`^(${TRE_STEMS})ter(s?)$`), '$1tre$2'],
  [new RegExp(`^(${TRE_STEMS})ter(ed|ing)$`), '$1tr$2'],
  [/^(.*[^aeiou][aeiou])l(ed|ing|er|ers|or|ors)$/, '$1ll$2'],
];

/**
 * Words' variants as worked out (`spellingVariants`): a library's titles share most of
 * their words, and working them out again for every title was two thirds of a title
 * matcher's build (4 of 6 s at 100,000 titles). Sharded, as the model's tables, so that
 * growing never copies it whole in one go; started again when it holds this many words
 * (~20 MB). The bench's 100,000 titles have 137,601 distinct words: kept up to 100,000,
 * every rebuild after a save worked them out again and its garbage kept the host's
 * collector busy, blocks of 56–98 ms against 32–36 ms before (five and four runs).
 */
const KEPT_VARIANTS = 250_000;
let variantsOf = new ShardedMap<string, readonly string[]>();

/**
 * The British spellings a word may be written in (its American form first, then the word
 * itself if it differs), so a matcher that knows a title's words can recognise them
 * either way.
 */
export function spellingVariants(word: string): readonly string[] {
  let variants = variantsOf.get(word);
  if (variants === undefined) {
    variants = workOutVariants(word);
    if (variantsOf.size >= KEPT_VARIANTS) {
      variantsOf = new ShardedMap();
    }
    variantsOf.set(word, variants);
  }
  return variants;
}

function workOutVariants(word: string): readonly string[] {
  const american = americanSpelling(word);
  const out = new Set<string>([american, word]);
  for (const british of WORDS_BACK.get(american) ?? []) {
    out.add(british);
  }
  for (const [re, to] of BACK_RULES) {
    const c = american.replace(re, to);
    // Keep only true variants: spellings that come back to the same American form.
    if (c !== american && americanSpelling(c) === american) {
      out.add(c);
    }
  }
  return [...out];
}
