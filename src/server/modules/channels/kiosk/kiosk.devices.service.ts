// Kiosk devices (infomats): a registrar (for their organisation) or an operator (for any)
// switches a browser to kiosk mode — a kiosk_devices row and a long-lived HttpOnly,
// SameSite=Strict cookie holding a random token whose HMAC alone is stored, like sessions —
// lists the organisation's devices and switches them off. The guard resolves the cookie of
// every kiosk request to an unrevoked device.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KioskDevice } from '../../../../shared/api/index.js';
import type { AppContext } from '../../../context.js';
import { AppError } from '../../../errors.js';
import { hmac, randomToken, type CurrentSession } from '../../session/session.js';
import { recordAudit } from '../../region/audit.service.js';
import {
  findDevice,
  findDeviceByTokenHash,
  insertDevice,
  listDevices,
  organisationExists,
  revokeDevice,
  touchDevice,
  type KioskDeviceRow,
} from './kiosk.repository.js';
import { KIOSK_DEVICE_DAYS, KIOSK_SEEN_EVERY_MS } from './kiosk.rules.js';

export const KIOSK_COOKIE = 'priyom_kiosk';
/** The cookie goes only to the kiosk API. */
const KIOSK_COOKIE_PATH = '/api/kiosk';

export interface KioskDeviceContext {
  id: string;
  label: string;
  organisation: { id: number; name: string; shortName: string; address: string; phone: string; timeZone: string };
}

/** Staff who may manage kiosks: a registrar (their organisation) or an operator (any). */
export type KioskManager = Pick<CurrentSession, 'accountId' | 'role' | 'organisationId'>;

function tokenHash(secret: string, token: string): string {
  return hmac(secret, `kiosk|${token}`);
}

function toKioskDevice(r: KioskDeviceRow): KioskDevice {
  return {
    id: r.id,
    label: r.label,
    organisation: { id: r.organisationId, shortName: r.organisationShortName },
    createdAt: r.createdAt.toISOString(),
    createdBy: r.createdBy,
    lastSeenAt: r.lastSeenAt?.toISOString() ?? null,
    revokedAt: r.revokedAt?.toISOString() ?? null,
  };
}

/** The organisation a manager acts for: a registrar's own; the operator's choice. */
function organisationFor(manager: KioskManager, requested: number | undefined): number {
  if (manager.role === 'registrar') {
    if (manager.organisationId === null) throw new AppError('FORBIDDEN');
    if (requested !== undefined && requested !== manager.organisationId)
      throw new AppError('STAFF_ORGANISATION_MISMATCH');
    return manager.organisationId;
  }
  if (manager.role !== 'operator') throw new AppError('FORBIDDEN');
  if (requested === undefined) throw new AppError('KIOSK_ORGANISATION_REQUIRED');
  return requested;
}

/**
 * Creates the device and sets its cookie on this browser. (The route then signs the staff
 * member out.) A browser that already was a kiosk loses its old cookie, so that device is
 * switched off in the same transaction.
 */
export async function enrolDevice(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  manager: KioskManager,
  input: { label: string; organisationId?: number },
): Promise<KioskDevice> {
  const organisationId = organisationFor(manager, input.organisationId);
  if (!(await organisationExists(ctx.db, organisationId))) throw new AppError('KIOSK_ORGANISATION_REQUIRED');
  const now = ctx.now();
  const token = randomToken();
  const previousToken = request.cookies[KIOSK_COOKIE];
  const id = await ctx.db.transaction(async (tx) => {
    const previous =
      previousToken && /^[A-Za-z0-9_-]{20,100}$/.test(previousToken)
        ? await findDeviceByTokenHash(tx, tokenHash(ctx.config.sessionSecret, previousToken))
        : null;
    const created = await insertDevice(tx, {
      organisationId,
      label: input.label,
      tokenHash: tokenHash(ctx.config.sessionSecret, token),
      createdBy: manager.accountId,
      now,
    });
    await recordAudit(
      tx,
      {
        actorAccountId: manager.accountId,
        action: 'kiosk.enrol',
        entityType: 'kiosk_device',
        entityId: created.id,
        details: { organisationId, label: input.label },
      },
      now,
    );
    if (previous && previous.revokedAt === null) {
      await revokeDevice(tx, previous.id, now);
      await recordAudit(
        tx,
        {
          actorAccountId: manager.accountId,
          action: 'kiosk.revoke',
          entityType: 'kiosk_device',
          entityId: previous.id,
          details: { organisationId: previous.organisation.id, replacedBy: created.id },
        },
        now,
      );
    }
    return created.id;
  });
  reply.setCookie(KIOSK_COOKIE, token, {
    path: KIOSK_COOKIE_PATH,
    httpOnly: true,
    sameSite: 'strict',
    secure: ctx.config.secureCookies,
    expires: new Date(now.getTime() + KIOSK_DEVICE_DAYS * 86_400_000),
  });
  const row = await findDevice(ctx.db, id);
  if (!row) throw new AppError('KIOSK_DEVICE_NOT_FOUND');
  return toKioskDevice(row);
}

/** A registrar's organisation's devices; an operator's of one organisation or of all. */
export async function listKioskDevices(
  ctx: AppContext,
  manager: KioskManager,
  organisationId: number | undefined,
): Promise<KioskDevice[]> {
  const scope = manager.role === 'operator' ? (organisationId ?? null) : organisationFor(manager, organisationId);
  return (await listDevices(ctx.db, scope)).map(toKioskDevice);
}

/** Switches a device off: its cookie stops working at once. Another organisation's device is not found. */
export async function revokeKioskDevice(
  ctx: AppContext,
  manager: KioskManager,
  deviceId: string,
): Promise<KioskDevice> {
  const device = await findDevice(ctx.db, deviceId);
  if (!device) throw new AppError('KIOSK_DEVICE_NOT_FOUND');
  if (manager.role !== 'operator' && device.organisationId !== organisationFor(manager, undefined)) {
    throw new AppError('KIOSK_DEVICE_NOT_FOUND');
  }
  if (device.revokedAt === null) {
    const now = ctx.now();
    await ctx.db.transaction(async (tx) => {
      await revokeDevice(tx, deviceId, now);
      await recordAudit(
        tx,
        {
          actorAccountId: manager.accountId,
          action: 'kiosk.revoke',
          entityType: 'kiosk_device',
          entityId: deviceId,
          details: { organisationId: device.organisationId },
        },
        now,
      );
    });
  }
  const row = await findDevice(ctx.db, deviceId);
  if (!row) throw new AppError('KIOSK_DEVICE_NOT_FOUND');
  return toKioskDevice(row);
}

/**
 * Guard of every kiosk endpoint: the device of this browser's kiosk cookie, unrevoked.
 * A revoked or unknown cookie is cleared; either way the answer is KIOSK_NOT_ENROLLED.
 */
export async function requireKioskDevice(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<KioskDeviceContext> {
  const token = request.cookies[KIOSK_COOKIE];
  if (!token) throw new AppError('KIOSK_NOT_ENROLLED');
  const row = /^[A-Za-z0-9_-]{20,100}$/.test(token)
    ? await findDeviceByTokenHash(ctx.db, tokenHash(ctx.config.sessionSecret, token))
    : null;
  if (!row || row.revokedAt !== null) {
    reply.clearCookie(KIOSK_COOKIE, { path: KIOSK_COOKIE_PATH });
    throw new AppError('KIOSK_NOT_ENROLLED');
  }
  const now = ctx.now();
  if (row.lastSeenAt === null || now.getTime() - row.lastSeenAt.getTime() >= KIOSK_SEEN_EVERY_MS) {
    await touchDevice(ctx.db, row.id, now, new Date(now.getTime() - KIOSK_SEEN_EVERY_MS));
  }
  return { id: row.id, label: row.label, organisation: row.organisation };
}
