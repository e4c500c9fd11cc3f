import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Case, Role } from '../db/types.js';
import { requireStaff } from '../staff/auth.js';
import { badInput } from '../shared/errors.js';
import { CaseActions } from './actions.js';
import { assignContractor } from './contractor.js';
import { intField, readForm, staffActor } from './http.js';
import { mergeCases } from './merge.js';
import { HANDLER_ROLES, type StaffActor } from './scope.js';
import { resolveCaseRef } from './view.js';
import { ActionResult, AssignBody, CaseRef, ContractorBody, MergeBody, NoteBody, PriorityBody, StatusBody } from './schema.js';

const tags = ['staff case actions'];
const handlers = HANDLER_ROLES as Role[];
const writers: Role[] = ['agent', ...handlers, 'contractor'];

function result(kase: Case) {
  return { id: kase.id, public_id: kase.public_id, version: kase.version, status: kase.status };
}

/**
 * Every change staff make on the case page. Each takes `expected_version` (the version the page showed)
 * and answers 409 `stale_version` naming who changed the case meanwhile; foreign cases are 404.
 */
export async function caseActionRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = app.ctx.db;
  const actions = new CaseActions(db, app.ctx.cases, app.ctx.config.dataDir);
  const responses = { 200: ActionResult };
  /** Resolves the case in the caller's scope (404 otherwise), runs the action and answers its new version. */
  const onCase = async (request: FastifyRequest, ref: string, run: (staff: StaffActor, caseId: number) => Promise<Case>) => {
    const staff = staffActor(request);
    return result(await run(staff, await resolveCaseRef(db, staff, ref)));
  };

  r.post('/api/staff/cases/:ref/assign', {
    schema: { tags, summary: 'Assign to a unit and/or a person of the responsible organisation (null clears)', params: CaseRef, body: AssignBody, response: responses },
    preHandler: requireStaff(...handlers),
  }, async (request) => onCase(request, request.params.ref, (staff, id) => actions.assign(staff, id, request.body)));

  r.post('/api/staff/cases/:ref/status', {
    schema: { tags, summary: 'Change state (transition table); an optional public note reaches the reporter and followers', params: CaseRef, body: StatusBody, response: responses },
    preHandler: requireStaff(...handlers),
  }, async (request) => onCase(request, request.params.ref, (staff, id) => actions.changeState(staff, id, request.body)));

  r.post('/api/staff/cases/:ref/priority', {
    schema: { tags, summary: 'Change priority; the SLA due time is recomputed', params: CaseRef, body: PriorityBody, response: responses },
    preHandler: requireStaff(...handlers),
  }, async (request) => onCase(request, request.params.ref, (staff, id) => actions.setPriority(staff, id, { ...request.body, priority: request.body.priority as 1 | 2 | 3 })));

  r.post('/api/staff/cases/:ref/notes', {
    schema: { tags, summary: 'Internal note (never public) or public update (handlers; reaches reporter and followers)', params: CaseRef, body: NoteBody, response: responses },
    preHandler: requireStaff(...writers),
  }, async (request) => onCase(request, request.params.ref, (staff, id) => actions.addNote(staff, id, request.body)));

  r.post('/api/staff/cases/:ref/photos', {
    schema: {
      tags, summary: 'Add a photo: multipart/form-data with file "photo", fields visibility (internal|public), caption, expected_version (optional)',
      consumes: ['multipart/form-data'], params: CaseRef, response: responses,
    },
    preHandler: requireStaff(...writers),
  }, async (request) => {
    const staff = staffActor(request);
    const caseId = await resolveCaseRef(db, staff, request.params.ref);
    const { fields, file } = await readForm(request);
    if (!file) throw badInput('photo', 'is required', 'krävs');
    const visibility = fields.visibility ?? 'internal';
    if (visibility !== 'internal' && visibility !== 'public') throw badInput('visibility', 'must be internal or public', 'ska vara internal eller public');
    return result(await actions.addPhoto(staff, caseId, { data: file, visibility, caption: fields.caption, expected_version: intField(fields, 'expected_version', false) }));
  });

  r.post('/api/staff/cases/:ref/merge', {
    schema: {
      tags, summary: 'Merge this case (the duplicate) into another open case: closes it as duplicate with a public note, moves followers',
      params: CaseRef, body: MergeBody, response: { 200: Type.Object({ duplicate: ActionResult, target: ActionResult }) },
    },
    preHandler: requireStaff(...handlers),
  }, async (request) => {
    const staff = staffActor(request);
    const duplicateId = await resolveCaseRef(db, staff, request.params.ref);
    const intoId = await resolveCaseRef(db, staff, request.body.into, 'into');
    const { duplicate, target } = await mergeCases(db, app.ctx.cases, staff, duplicateId, { ...request.body, into_case_id: intoId });
    return { duplicate: result(duplicate), target: result(target) };
  });

  r.post('/api/staff/cases/:ref/contractor', {
    schema: { tags, summary: 'Give the case to a contractor as a work order (null takes it back), with instructions', params: CaseRef, body: ContractorBody, response: responses },
    preHandler: requireStaff(...handlers),
  }, async (request) => {
    const staff = staffActor(request);
    return result(await assignContractor(app.ctx.cases, staff, await resolveCaseRef(db, staff, request.params.ref), request.body));
  });
}
