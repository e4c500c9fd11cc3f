import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp, { type OutputInfo } from 'sharp';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../shared/errors.js';

/** What a stored, re-encoded photo looks like; the caller records it in `attachments`. */
export interface StoredImage {
  storage_key: string;
  content_type: 'image/jpeg';
  bytes: number;
  width: number;
  height: number;
}

/** Largest upload accepted before decoding (bytes). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const ACCEPTED = new Set(['image/jpeg', 'image/png', 'image/webp']);
const KEY_PATTERN = /^[a-f0-9]{32}\.jpg$/;

function unsupported(field: string): AppError {
  return new AppError({ status: 415, code: 'unsupported_image', field,
    message: `${field}: must be a JPEG, PNG or WebP photo`, message_sv: `${field}: ska vara ett foto i JPEG, PNG eller WebP` });
}

/** The folder photos live in, under DATA_DIR. */
export function uploadsDir(dataDir: string): string {
  return path.join(dataDir, 'uploads');
}

/** The file of a stored photo; refuses keys that are not ours (no path tricks). */
export function storedPath(dataDir: string, storageKey: string): string {
  if (!KEY_PATTERN.test(storageKey)) throw new AppError({ status: 404, code: 'not_found', message: 'attachment not found' });
  return path.join(uploadsDir(dataDir), storageKey.slice(0, 2), storageKey);
}

/**
 * Checks a photo by its magic bytes (never by the name or the client's content type), re-encodes it
 * with sharp as a JPEG of at most 1600 px (which drops EXIF, GPS and every other metadata and turns
 * anything that only pretends to be an image into an error) and writes it under a random name.
 */
export async function storeImage(dataDir: string, input: Buffer, field = 'photo'): Promise<StoredImage> {
  if (input.length === 0) throw unsupported(field);
  if (input.length > MAX_UPLOAD_BYTES) {
    throw new AppError({ status: 413, code: 'too_large', field, message: `${field}: at most 10 MB`, message_sv: `${field}: högst 10 MB` });
  }
  const type = await fileTypeFromBuffer(input);
  if (!type || !ACCEPTED.has(type.mime)) throw unsupported(field);
  let output: { data: Buffer; info: OutputInfo };
  try {
    output = await sharp(input, { failOn: 'error', limitInputPixels: 50e6 })
      .rotate()
      .resize({ width: 1600, height: 1600, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
  } catch {
    throw unsupported(field);
  }
  const storageKey = `${crypto.randomBytes(16).toString('hex')}.jpg`;
  const file = storedPath(dataDir, storageKey);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, output.data, { flag: 'wx' });
  return { storage_key: storageKey, content_type: 'image/jpeg', bytes: output.data.length, width: output.info.width, height: output.info.height };
}

/** Removes a stored photo, e.g. when the transaction that would have recorded it failed. */
export async function removeStored(dataDir: string, storageKey: string): Promise<void> {
  await fs.rm(storedPath(dataDir, storageKey), { force: true });
}

/** Reads a stored photo. */
export async function readStored(dataDir: string, storageKey: string): Promise<Buffer> {
  return fs.readFile(storedPath(dataDir, storageKey));
}
