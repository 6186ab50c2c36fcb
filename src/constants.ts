// Ids shared with package.json's "contributes". Keep the two in step: a unit test checks.

export const Commands = {
  searchPapers: 'paperscope.searchPapers',
  openPaper: 'paperscope.openPaper',
  copyBibtex: 'paperscope.copyBibtex',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

export const ViewTypes = {
  detailPanel: 'paperscope.detail',
} as const;

export const ConfigSection = 'paperscope';
export const Settings = {
  maxResults: 'search.maxResults',
} as const;
