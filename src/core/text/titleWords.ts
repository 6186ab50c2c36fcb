// Title words that carry no topic: skipped when a citation key takes a title word and
// when a title's initials make an acronym. (In a module of its own: the index worker
// needs it without the citation key's transliteration tables.)

/** Title words skipped when choosing the key's title word or a title's initials. */
export const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  ('a an the on of in for to and or with via by from at as is are do does can we ' +
    'towards toward through without').split(' '),
);
