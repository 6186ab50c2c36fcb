// Glob patterns as VS Code's settings write them (`**/*.bib`, `{refs,lib}/*.bib`,
// `**/node_modules/**`), matched against a path relative to the workspace folder. The
// same test decides at start-up (findFiles) and afterwards (watcher events, edits).

/** Turns a glob into a RegExp over `/`-separated relative paths: `**`, `*`, `?`, `[…]`, `{a,b}`. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  let i = 0;
  let braces = 0;
  const g = glob.trim().replace(/\\/g, '/').replace(/^\.\//, '');
  while (i < g.length) {
    const c = g[i];
    if (c === '*') {
      if (g[i + 1] === '*') {
        // `**/` matches any number of folders (none too); a trailing `**` matches the rest.
        const slash = g[i + 2] === '/';
        re += slash ? '(?:[^/]*/)*' : '.*';
        i += slash ? 3 : 2;
        continue;
      }
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '[') {
      const close = g.indexOf(']', i + 1);
      if (close < 0) {
        re += '\\[';
      } else {
        const body = g.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = close;
      }
    } else if (c === '{') {
      braces++;
      re += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (c === ',' && braces > 0) {
      re += '|';
    } else {
      re += c.replace(/[.+^$()|\\]/g, '\\$&');
    }
    i++;
  }
  re += ')'.repeat(braces);
  return new RegExp(`^${re}$`, 'i');
}

/**
 * Whether a workspace-relative path is wanted by an include glob and not excluded. An
 * empty exclude excludes nothing; an invalid glob matches nothing rather than throwing.
 */
export function matchesGlobs(relativePath: string, include: string, exclude: string): boolean {
  const path = relativePath.replace(/\\/g, '/').replace(/^\/+/, '');
  const test = (glob: string): boolean => {
    try {
      return globToRegExp(glob).test(path);
    } catch {
      return false;
    }
  };
  return include.trim() !== '' && test(include) && !(exclude.trim() !== '' && test(exclude));
}
