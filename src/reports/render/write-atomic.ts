// Writes a file so readers see either the old content or the new, never half of it: write a temp
// file in the same directory (same filesystem, so rename is atomic), fsync it, rename it over the
// target, then fsync the directory so the rename itself survives a crash.

import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import path from 'node:path';

/** The filesystem calls writeAtomic makes; tests inject failures through it. */
export interface AtomicFs {
  open: typeof nodeFs.open;
  rename: typeof nodeFs.rename;
  rm: typeof nodeFs.rm;
}

export interface WriteAtomicOptions {
  /** Defaults to node:fs/promises. */
  fs?: AtomicFs;
}

export async function writeAtomic(file: string, data: Buffer | string, options: WriteAtomicOptions = {}): Promise<void> {
  const fs = options.fs ?? nodeFs;
  const dir = path.dirname(file);
  // Dot-prefixed so globbing readers of the output folder skip it; random so concurrent writers differ.
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await fs.open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDir(fs, dir);
}

// Not every platform lets a directory be opened for fsync (Windows, some network filesystems); the
// file is already in place, so a failure here is not worth failing the write.
async function syncDir(fs: AtomicFs, dir: string): Promise<void> {
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* best effort */
  }
}

/**
 * Moves a finished temp folder into place, replacing an older one: old → aside, new → in, aside →
 * gone. Readers see the old folder or the new one; only between the two renames is there neither.
 */
export async function replaceDir(from: string, to: string): Promise<void> {
  const aside = `${to}.old-${randomBytes(3).toString('hex')}`;
  let moved = false;
  try {
    await nodeFs.rename(to, aside);
    moved = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await nodeFs.rename(from, to);
  if (moved) await nodeFs.rm(aside, { recursive: true, force: true });
}
