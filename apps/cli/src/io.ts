import { readFile } from 'node:fs/promises';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** A problem the user can fix (missing file, bad JSON, bad arguments): exit 2, one line, no stack. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT_OK = 0;
export const EXIT_DIAGNOSTICS = 1;
export const EXIT_USAGE = 2;

/** Read and parse a JSON file, turning every failure into a one-line UsageError. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error: unknown) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    throw new UsageError(
      code === 'ENOENT'
        ? `${path}: no such file`
        : code === 'EISDIR'
          ? `${path}: is a directory, not a file`
          : `${path}: cannot read (${code || 'unknown error'})`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message.replace(/\s+/g, ' ') : 'invalid JSON';
    throw new UsageError(`${path}: not valid JSON (${reason})`);
  }
}
