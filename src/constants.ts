// Ids shared with package.json's "contributes". Keep the two in step: a unit test checks.

export const Commands = {
  searchPapers: 'paperscope.searchPapers',
  searchSelection: 'paperscope.searchSelection',
  openPaper: 'paperscope.openPaper',
  copyBibtex: 'paperscope.copyBibtex',
  insertCitation: 'paperscope.insertCitation',
  /** Internal: quick fix "Add BibTeX entry to <file>". */
  addBibEntry: 'paperscope.addBibEntry',
  /** Internal: run after a completion item is accepted. */
  ensureBibEntry: 'paperscope.ensureBibEntry',
  groupLibraryBy: 'paperscope.groupLibraryBy',
  filterLibrary: 'paperscope.filterLibrary',
  clearLibraryFilter: 'paperscope.clearLibraryFilter',
  openOnArxiv: 'paperscope.openOnArxiv',
  findRelated: 'paperscope.findRelated',
  /** Internal: reveal an occurrence listed in "In This Document". */
  revealOccurrence: 'paperscope.revealOccurrence',
  removeUnusedEntries: 'paperscope.removeUnusedEntries',
  searchOnline: 'paperscope.searchOnline',
  addByIdentifier: 'paperscope.addByIdentifier',
  addToBibliography: 'paperscope.addToBibliography',
  /** Hover link: look an arXiv id or DOI up online. */
  lookupIdentifier: 'paperscope.lookupIdentifier',
  setApiKey: 'paperscope.setApiKey',
  refreshZotero: 'paperscope.refreshZotero',
  tryHover: 'paperscope.tryHover',
  tryCite: 'paperscope.tryCite',
  showLibraryOverview: 'paperscope.showLibraryOverview',
  showLog: 'paperscope.showLog',
} as const;

export const ViewIds = {
  container: 'paperscope',
  library: 'paperscope.library',
  documentPapers: 'paperscope.documentPapers',
} as const;

export const ViewTypes = {
  detailPanel: 'paperscope.detail',
  overviewPanel: 'paperscope.overview',
} as const;

export const ConfigSection = 'paperscope';
export const Settings = {
  maxResults: 'search.maxResults',
  hoverTitles: 'hover.titles',
  hoverAbstractLength: 'hover.abstractLength',
  latexCommand: 'citation.latexCommand',
  citationCommands: 'citation.commands',
  bibliographyFile: 'bibliography.file',
  bibliographyInclude: 'bibliography.include',
  bibliographyExclude: 'bibliography.exclude',
  bibliographyMaxFileSizeMB: 'bibliography.maxFileSizeMB',
  onlineProviders: 'online.providers',
  onlineEndpoints: 'online.endpoints',
  onlineEmail: 'online.email',
  onlineSearchAsYouType: 'online.searchAsYouType',
  onlineLookupOnHover: 'online.lookupOnHover',
  onlineTimeoutSeconds: 'online.timeoutSeconds',
} as const;

/** Languages Paperscope reads, and how it reads each. */
export const LATEX_LANGUAGES = ['latex', 'tex', 'latex-expl3', 'doctex'] as const;
export const MARKDOWN_LANGUAGES = ['markdown', 'quarto', 'rmd', 'rmarkdown', 'pandoc'] as const;
export const DOCUMENT_SELECTOR = [...LATEX_LANGUAGES, ...MARKDOWN_LANGUAGES].map((language) => ({ language }));

/** Documents larger than this are not scanned for mentions (hover, diagnostics). */
export const MAX_SCAN_CHARS = 5_000_000;
