/**
 * The file system as a task's core sees it: one small port, injected, so cores never import
 * node:fs and their tests run over an in-memory one. Paths are the user's (relative ones are
 * resolved by the implementation against its base folder); every failure is a FileError naming
 * the path as given, so a core can pass it straight to the user.
 *
 * Synchronous on purpose: the tasks read a handful of small text files (definitions, policies,
 * templates) and write a few reports; streaming downloads need their own port.
 */
export interface FileSystem {
  /** UTF-8 text of a file, byte-order mark kept. Throws FileError ("cannot read: …") when it cannot. */
  readText(path: string): string;
  /** Whether anything exists at the path (links followed). Never throws. */
  exists(path: string): boolean;
  /** A folder, or a link to one. False when nothing is there. Never throws. */
  isDirectory(path: string): boolean;
  /** A regular file, or a link to one. False when nothing is there. Never throws. */
  isFile(path: string): boolean;
  /** Entry names (not paths) of a folder, sorted. Throws FileError ("cannot list the folder: …"). */
  list(folder: string): string[];
  /** The absolute path with symbolic links resolved; the absolute path itself when it cannot be resolved. */
  realPath(path: string): string;
  /**
   * Writes the whole text or nothing: a new file beside the target replaces it in one rename, so a
   * failure leaves the previous content, and a link planted at the target is replaced, not
   * followed. Creates missing parent folders. Throws FileError ("cannot write: …").
   */
  writeTextAtomic(path: string, text: string): void;
}
