/**
 * Keeping the manifests globs of tug.yaml inside the directory of tug.yaml. A glob like `/**\/*.yaml` or
 * `../../**` once walked the whole disk (minutes, gigabytes); a symbolic link inside the repository can
 * lead there just as well. So: an absolute glob or one with a `..` segment is refused before anything is
 * walked, and while walking, a link whose real target is outside is not followed and is reported.
 * Links that stay inside are followed as before (a `shared -> ../shared` within the repository keeps working).
 */
import * as nodeFs from 'node:fs';
import { isAbsolute, relative, sep, win32 } from 'node:path';
import type { FileSystemAdapter } from 'tinyglobby';

/**
 * Why `pattern` could reach outside the directory it is resolved from, or undefined when it cannot.
 * `..` is refused anywhere (also inside `{a,..}` or `@(..)`), even where it would come back inside:
 * `**\/..` cannot be told apart from an escape without walking.
 */
export function globEscape(pattern: string): string | undefined {
  if (isAbsolute(pattern) || win32.isAbsolute(pattern)) return 'is an absolute path';
  if (pattern.split(/[\\/{},()|]/).includes('..')) return 'has a ".." segment';
  return undefined;
}

/** `path` (absolute, real) is `root` or below it. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** A symbolic link met while walking whose target is outside the root. */
export interface EscapingLink {
  link: string;
  target: string;
}

/**
 * A file system for tinyglobby whose symlink resolution stops at `root`: a link to a directory outside
 * is not walked (the walker skips a link it cannot resolve), a link to a file outside is resolved (so the
 * glob's own filter decides whether it is wanted) and remembered. Either way `escapes` lists it.
 */
export function confinedFs(root: string): { fs: FileSystemAdapter; escapes: Map<string, EscapingLink & { directory: boolean }> } {
  const realRoot = nodeFs.realpathSync(root);
  const escapes = new Map<string, EscapingLink & { directory: boolean }>();
  const realpath = (path: string, callback: (error: NodeJS.ErrnoException | null, resolved: string) => void): void => {
    nodeFs.realpath(path, (error, resolved) => {
      if (error || isInside(realRoot, resolved)) return callback(error, resolved);
      nodeFs.stat(resolved, (statError, stat) => {
        const directory = !statError && stat.isDirectory();
        escapes.set(path, { link: path, target: resolved, directory });
        if (directory) return callback(Object.assign(new Error(`${path} leaves ${root}`), { code: 'ELOOP' }), '');
        callback(statError, resolved);
      });
    });
  };
  return { fs: { realpath: realpath as FileSystemAdapter['realpath'] }, escapes };
}
