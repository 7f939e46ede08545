// The FHIR view's searches as use cases of a key's organisation: Schedules (its doctors), Slots
// and Appointments, one keyset page at a time with the total count. Everything is bounded by
// the key's organisation; a doctor of another organisation named in a search is "not found".
import type { AppContext } from '../../../context.js';
import { AppError } from '../../../errors.js';
import type { ApiCaller } from './apikeys.service.js';
import {
  type AppointmentSearch,
  countAppointments,
  countSlots,
  searchAppointments,
  searchSlots,
  type SlotSearch,
  type StartPosition,
} from './fhir.repository.js';
import { listVisiblePatients, type PatientRow } from './fhir.resources.repository.js';
import { limitPage, type Keyset } from './fhir.search.js';
import type { AppointmentInfo, SlotInfo } from './integration.repository.js';
import { listOrganisationDoctors } from './integration.repository.js';

export interface Page<T> {
  rows: T[];
  /** The keyset position after the page's last row, when more rows follow. */
  next: Keyset | null;
  total: number;
}

/** Throws DOCTOR_NOT_FOUND unless every doctor named belongs to the key's organisation. */
async function assertOwnDoctors(ctx: AppContext, caller: ApiCaller, doctorIds: readonly number[] | undefined) {
  if (!doctorIds || doctorIds.length === 0) return;
  const own = new Set((await listOrganisationDoctors(ctx.db, caller.organisationId)).map((d) => d.id));
  if (doctorIds.some((id) => !own.has(id))) throw new AppError('DOCTOR_NOT_FOUND');
}

const startKey = (r: { startAt: Date; id: string | number }): Keyset => [r.startAt.toISOString(), r.id];

/** Slots of the organisation: `count` after `after` (with `count` 0, the total only). */
export async function slotPage(
  ctx: AppContext,
  caller: ApiCaller,
  q: Omit<SlotSearch, 'organisationId' | 'now'>,
  page: { after: StartPosition<number> | null; count: number },
): Promise<Page<SlotInfo> & { now: Date }> {
  await assertOwnDoctors(ctx, caller, q.doctorIds);
  const search: SlotSearch = { ...q, organisationId: caller.organisationId, now: ctx.now() };
  const total = await countSlots(ctx.db, search);
  if (page.count === 0) return { rows: [], next: null, total, now: search.now };
  const rows = await searchSlots(ctx.db, search, { after: page.after, limit: page.count + 1 });
  const { page: shown, next } = limitPage(rows, startKey, page.count);
  return { rows: shown, next, total, now: search.now };
}

/** Appointments of the organisation: `count` after `after` (with `count` 0, the total only). */
export async function appointmentPage(
  ctx: AppContext,
  caller: ApiCaller,
  q: Omit<AppointmentSearch, 'organisationId'>,
  page: { after: StartPosition<string> | null; count: number },
): Promise<Page<AppointmentInfo>> {
  await assertOwnDoctors(ctx, caller, q.doctorIds);
  const search: AppointmentSearch = { ...q, organisationId: caller.organisationId };
  const total = await countAppointments(ctx.db, search);
  if (page.count === 0) return { rows: [], next: null, total };
  const rows = await searchAppointments(ctx.db, search, { after: page.after, limit: page.count + 1 });
  const { page: shown, next } = limitPage(rows, startKey, page.count);
  return { rows: shown, next, total };
}

/** The patients of these appointments (`_include=Appointment:patient`): each has a visit at the organisation. */
export async function appointmentPatients(
  ctx: AppContext,
  caller: ApiCaller,
  rows: readonly AppointmentInfo[],
): Promise<PatientRow[]> {
  const ids = [...new Set(rows.map((r) => r.personId))];
  if (ids.length === 0) return [];
  return listVisiblePatients(ctx.db, caller.organisationId, { ids, limit: ids.length });
}
