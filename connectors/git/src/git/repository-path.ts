import { constants } from 'node:fs';
import { access, lstat, stat } from 'node:fs/promises';

/**
 * What is wrong with a repository path before git is run in it, in words that name the path
 * (or undefined when it is a directory git can work in). Spawning git in a bad directory
 * fails with a bare `ENOENT` that reads like a missing git binary, or `ENOTDIR` / `ELOOP`.
 */
export async function repositoryPathProblem(path: string): Promise<string | undefined> {
  try {
    const stats = await stat(path);
    if (!stats.isDirectory()) return `repository path ${path} is not a directory`;
    // Reading the directory and entering it are what git needs.
    await access(path, constants.R_OK | constants.X_OK);
    return undefined;
  } catch (error) {
    return describeFailure(path, error as NodeJS.ErrnoException);
  }
}

async function describeFailure(path: string, error: NodeJS.ErrnoException): Promise<string> {
  switch (error.code) {
    case 'ENOENT': {
      const link = await lstat(path).catch(() => undefined);
      return link?.isSymbolicLink()
        ? `repository path ${path} is a symbolic link to something that does not exist`
        : `repository path ${path} does not exist`;
    }
    case 'ENOTDIR':
      return `repository path ${path} does not exist (a part of it is a file, not a directory)`;
    case 'ELOOP':
      return `repository path ${path} is a loop of symbolic links`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied on repository path ${path}`;
    case 'ENAMETOOLONG':
      return `repository path ${path} is too long`;
    default:
      return `cannot open repository path ${path}: ${error.message}`;
  }
}
