// Venues as a researcher groups them: "ICML", "ICML 2020", "Proceedings of the 37th
// International Conference on Machine Learning" and "International Conference on
// Machine Learning" are one venue; every arXiv/CoRR preprint is a preprint. A table of
// the common ML/CS venues with their long forms; anything else groups by its own name
// with proceedings years stripped, ignoring case and punctuation. Display keeps what
// the entry says: only grouping (and the entry type we write) use this.
import { fold } from '../text/text';

export type VenueKind = 'conference' | 'journal' | 'preprint';

interface KnownVenue {
  readonly label: string;
  readonly kind: Exclude<VenueKind, 'preprint'>;
  /** Folded phrases (whole words) that name it; `=name`: only the whole venue. */
  readonly names: readonly string[];
}

const C = 'conference';
const J = 'journal';
/** The common venues of machine learning and neighbouring fields, with the ways entries spell them. */
const KNOWN: readonly KnownVenue[] = [
  { label: 'NeurIPS', kind: C, names: ['neurips', 'nips', 'neural information processing systems'] },
  { label: 'ICML', kind: C, names: ['icml', 'international conference on machine learning'] },
  { label: 'ICLR', kind: C, names: ['iclr', 'international conference on learning representations'] },
  { label: 'AISTATS', kind: C, names: ['aistats', 'artificial intelligence and statistics'] },
  { label: 'UAI', kind: C, names: ['uai', 'uncertainty in artificial intelligence'] },
  { label: 'COLT', kind: C, names: ['colt', 'conference on learning theory'] },
  { label: 'AAAI', kind: C, names: ['aaai'] },
  { label: 'IJCAI', kind: C, names: ['ijcai', 'international joint conference on artificial intelligence'] },
  { label: 'CVPR', kind: C, names: ['cvpr', 'computer vision and pattern recognition'] },
  { label: 'ICCV', kind: C, names: ['iccv', 'international conference on computer vision'] },
  { label: 'ECCV', kind: C, names: ['eccv', 'european conference on computer vision'] },
  { label: 'ACL', kind: C, names: ['acl', 'annual meeting of the association for computational linguistics'] },
  { label: 'EMNLP', kind: C, names: ['emnlp', 'empirical methods in natural language processing'] },
  { label: 'NAACL', kind: C, names: ['naacl', 'north american chapter of the association for computational linguistics'] },
  { label: 'KDD', kind: C, names: ['kdd', 'knowledge discovery and data mining'] },
  { label: 'The Web Conference (WWW)', kind: C, names: ['www', 'the web conference', 'world wide web conference'] },
  { label: 'ICRA', kind: C, names: ['icra', 'international conference on robotics and automation'] },
  { label: 'IROS', kind: C, names: ['iros', 'intelligent robots and systems'] },
  { label: 'CoRL', kind: C, names: ['corl', 'conference on robot learning'] },
  { label: 'RSS', kind: C, names: ['robotics science and systems'] },
  { label: 'L4DC', kind: C, names: ['l4dc', 'learning for dynamics and control'] },
  { label: 'CDC', kind: C, names: ['conference on decision and control'] },
  { label: 'ICASSP', kind: C, names: ['icassp', 'acoustics speech and signal processing'] },
  { label: 'Interspeech', kind: C, names: ['interspeech'] },
  { label: 'SIGIR', kind: C, names: ['sigir'] },
  { label: 'STOC', kind: C, names: ['stoc', 'symposium on theory of computing'] },
  { label: 'FOCS', kind: C, names: ['focs', 'foundations of computer science'] },
  { label: 'SODA', kind: C, names: ['soda', 'symposium on discrete algorithms'] },
  { label: 'JMLR', kind: J, names: ['jmlr', 'journal of machine learning research'] },
  { label: 'TMLR', kind: J, names: ['tmlr', 'transactions on machine learning research'] },
  { label: 'TPAMI', kind: J, names: ['tpami', 'pattern analysis and machine intelligence'] },
  { label: 'TNNLS', kind: J, names: ['tnnls', 'transactions on neural networks and learning systems'] },
  { label: 'IJCV', kind: J, names: ['ijcv', 'international journal of computer vision'] },
  { label: 'Neural Computation', kind: J, names: ['neural computation'] },
  { label: 'Nature', kind: J, names: ['=nature'] },
  { label: 'Science', kind: J, names: ['=science'] },
  { label: 'PNAS', kind: J, names: ['pnas', 'proceedings of the national academy of sciences'] },
  { label: 'SIAM Journal on Optimization', kind: J, names: ['siam journal on optimization', 'siopt', 'siam j optim'] },
  { label: 'Mathematical Programming', kind: J, names: ['mathematical programming'] },
  { label: 'Journal of Computational Physics', kind: J, names: ['journal of computational physics'] },
];

const PREPRINT = /\b(arxiv|preprint|corr|biorxiv|medrxiv|ssrn|chemrxiv|eprint)\b/;
const WORKSHOP = /\bworkshops?\b/;

/** A venue string folded for comparison: lower-case ASCII words, single spaces. */
function foldVenue(venue: string): string {
  return fold(venue).replace(/[^a-z0-9]+/g, ' ').trim();
}

const KNOWN_RES: readonly [KnownVenue, RegExp][] = KNOWN.map((v) => [
  v,
  new RegExp(v.names.map((n) => (n.startsWith('=') ? `^${n.slice(1)}$` : `(?:^| )${n}(?: |$)`)).join('|')),
]);

/** A venue's name with proceedings years and ordinals stripped ("ICLR 2024" → "ICLR"), arXiv ids kept whole. */
export function venueSeries(venue: string | undefined): string {
  if (!venue) {
    return '';
  }
  return (
    venue
      .replace(/(?<![\d.:/])\b(?:19|20)\d{2}\b(?![.\d])/g, '')
      .replace(/\b\d+(?:st|nd|rd|th)\b/gi, '')
      .replace(/\(\s*\)/g, '')
      .replace(/\s+/g, ' ')
      .replace(/^[\s,;:'-]+|[\s,;:'-]+$/g, '')
      .trim() || venue
  );
}

/** The group a venue belongs to: an id stable across spellings, a label, and its kind. */
export interface VenueGroup {
  readonly id: string;
  readonly label: string;
  readonly kind?: VenueKind;
}

/** Groups a venue: known venues by their table entry (workshops apart), preprints together, others by series name. */
export function venueGroup(venue: string | undefined): VenueGroup | undefined {
  if (!venue || venue.trim() === '') {
    return undefined;
  }
  const folded = foldVenue(venue);
  if (PREPRINT.test(folded)) {
    return { id: 'preprint', label: 'Preprints (arXiv and others)', kind: 'preprint' };
  }
  const known = KNOWN_RES.find(([, re]) => re.test(folded))?.[0];
  if (known) {
    const workshop = WORKSHOP.test(folded);
    return { id: `${known.label.toLowerCase()}${workshop ? '/workshop' : ''}`, label: workshop ? `${known.label} Workshops` : known.label, kind: known.kind };
  }
  const series = venueSeries(venue);
  return { id: `other:${foldVenue(series)}`, label: series };
}

/** Whether a venue is a journal (for the entry type we write); undefined when the table does not know. */
export function venueKind(venue: string | undefined): VenueKind | undefined {
  return venueGroup(venue)?.kind;
}

const JOURNAL_CUE = /\b(?:journal|transactions|letters|review|jmlr|tmlr|annals|proceedings of the national)\b|\bphys\.\s*rev\b/i;
const PROCEEDINGS_CUE = /\b(?:conference|proceedings|workshops?|symposium|meeting|congress|colloquium)\b|\bproc\./i;

/**
 * The BibTeX entry type a venue implies: the table's kind, else cue words (a journal's
 * before a conference's: "Proceedings of the National Academy" is a journal); undefined
 * when nothing says.
 */
export function venueEntryType(venue: string | undefined): 'article' | 'inproceedings' | 'misc' | undefined {
  const kind = venueKind(venue);
  if (kind) {
    return kind === 'journal' ? 'article' : kind === 'conference' ? 'inproceedings' : 'misc';
  }
  if (!venue) {
    return undefined;
  }
  return JOURNAL_CUE.test(venue) ? 'article' : PROCEEDINGS_CUE.test(venue) ? 'inproceedings' : undefined;
}
