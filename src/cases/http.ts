import type { FastifyRequest } from 'fastify';
import { staffOf } from '../staff/auth.js';
import { badInput } from '../shared/errors.js';
import { MAX_UPLOAD_BYTES } from '../attachments/store.js';
import type { StaffActor } from './scope.js';

/** The signed-in staff member as scope and actor for the case module. */
export function staffActor(request: FastifyRequest): StaffActor {
  const s = staffOf(request);
  return { organisationId: s.organisationId, role: s.role, userId: s.userId, label: s.displayName };
}

/** A multipart form's text fields and its one file (the photo), read fully into memory (at most 10 MB). */
export async function readForm(request: FastifyRequest, fileField = 'photo'): Promise<{ fields: Record<string, string>; file: Buffer | null }> {
  const fields: Record<string, string> = {};
  let file: Buffer | null = null;
  if (!request.isMultipart()) {
    const body = (request.body ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string' || typeof v === 'number') fields[k] = String(v);
    return { fields, file };
  }
  for await (const part of request.parts({ limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 20 } })) {
    if (part.type === 'file') {
      const data = await part.toBuffer();
      if (part.fieldname !== fileField) throw badInput(part.fieldname, `unexpected file; send the photo as "${fileField}"`, `oväntad fil; skicka fotot som "${fileField}"`);
      if (data.length > 0) file = data;
    } else if (typeof part.value === 'string') {
      fields[part.fieldname] = part.value;
    }
  }
  return { fields, file };
}

/** A required positive integer form field (e.g. expected_version). */
export function intField(fields: Record<string, string>, name: string, required = true): number | undefined {
  const raw = fields[name];
  if (raw === undefined || raw === '') {
    if (required) throw badInput(name, 'is required', 'krävs');
    return undefined;
  }
  if (!/^\d{1,9}$/.test(raw)) throw badInput(name, 'must be a whole number', 'ska vara ett heltal');
  return Number(raw);
}
