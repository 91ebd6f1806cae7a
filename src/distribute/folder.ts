// `folder` target: copies the brief's files to <path>/<brief>/<date>/ (a shared drive, a web root).
// The copy is written into a temp folder and renamed into place, so readers never see half a brief.
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { DistributeTarget } from '../config/schema.js';
import type { Deliver } from './types.js';
import { replaceDir } from '../reports/render/write-atomic.js';

type FolderTarget = Extract<DistributeTarget, { type: 'folder' }>;

export const deliverFolder: Deliver<FolderTarget> = async (target, parcel, ctx) => {
  const root = path.resolve(ctx.baseDir, target.path);
  const dest = path.join(root, parcel.briefId, parcel.date);
  const tmp = path.join(root, parcel.briefId, `.tmp-${randomBytes(4).toString('hex')}`);
  await mkdir(tmp, { recursive: true });
  try {
    for (const f of parcel.files) await copyFile(f.path, path.join(tmp, f.name));
    await replaceDir(tmp, dest);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  return `${parcel.files.length} files → ${dest}`;
};
