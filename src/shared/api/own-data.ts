// The HTTP contract of the account holder's own data (152-ФЗ, issue 19): everything the portal
// holds about the account and its people, removing a person from the card file, deleting the
// account.
import { z } from 'zod';
import { instant } from './common.js';

const personData = z.object({
  id: z.uuid(),
  isMain: z.boolean(),
  lastName: z.string(),
  firstName: z.string(),
  middleName: z.string().nullable(),
  birthDate: z.string(),
  sex: z.enum(['M', 'F']),
  snils: z.string(),
  policy: z.string(),
  phone: z.string().nullable(),
  /** pending | confirmed | rejected */
  status: z.string(),
  rejectReason: z.string().nullable(),
  birthCertificate: z.object({ series: z.string(), number: z.string() }).nullable(),
  /** A child brought from ЕСИА. */
  fromEsia: z.boolean(),
  submittedAt: instant,
  decidedAt: instant.nullable(),
  createdAt: instant,
});

export const ownDataExport = z.object({
  exportedAt: instant,
  /** The zone the page shows times in: the organisations' (the region's) zone. */
  timeZone: z.string(),
  account: z.object({
    id: z.uuid(),
    email: z.string().nullable(),
    emailConfirmedAt: instant.nullable(),
    esiaLinked: z.boolean(),
    esiaLinkedAt: instant.nullable(),
    createdAt: instant,
  }),
  sessions: z.array(z.object({ authMethod: z.string(), createdAt: instant, expiresAt: instant })),
  persons: z.array(personData),
  visits: z.array(
    z.object({
      id: z.uuid(),
      reference: z.string(),
      personId: z.uuid(),
      startAt: instant,
      endAt: instant,
      /** The organisation's wall time and zone. */
      localStart: z.string(),
      timeZone: z.string(),
      status: z.string(),
      source: z.string(),
      bookedByThisAccount: z.boolean(),
      doctor: z.string(),
      specialty: z.string(),
      organisation: z.string(),
      createdAt: instant,
      cancelledAt: instant.nullable(),
      cancelledBy: z.string().nullable(),
    }),
  ),
  waitlistEntries: z.array(
    z.object({
      id: z.uuid(),
      personId: z.uuid(),
      organisation: z.string(),
      specialty: z.string(),
      doctor: z.string().nullable(),
      status: z.string(),
      offersMade: z.number(),
      createdAt: instant,
      endedAt: instant.nullable(),
      endReason: z.string().nullable(),
    }),
  ),
  waitlistOffers: z.array(
    z.object({
      id: z.uuid(),
      entryId: z.uuid(),
      startAt: instant,
      status: z.string(),
      createdAt: instant,
      deadline: instant,
      respondedAt: instant.nullable(),
    }),
  ),
  notifications: z.array(
    z.object({
      id: z.number(),
      kind: z.string(),
      title: z.string(),
      body: z.string(),
      link: z.string().nullable(),
      createdAt: instant,
      readAt: instant.nullable(),
    }),
  ),
  /** E-mails the portal sent or is sending to the account. */
  emails: z.array(z.object({ kind: z.string(), subject: z.string(), status: z.string(), createdAt: instant })),
  notificationPreferences: z.object({ email: z.boolean(), push: z.boolean() }).nullable(),
  /** Devices subscribed to push: the push service's host only (the keys are secrets of the device). */
  pushSubscriptions: z.array(z.object({ id: z.number(), service: z.string(), createdAt: instant })),
  /** Направления issued to the account's people (by a doctor or a clinic's system). */
  referrals: z.array(z.record(z.string(), z.unknown())),
  /** Audit entries about the account, its people, visits and waitlist entries; who acted, never staff names. */
  auditEntries: z.array(
    z.object({
      at: instant,
      action: z.string(),
      entityType: z.string(),
      entityId: z.string(),
      /** you | staff | system */
      by: z.enum(['you', 'staff', 'system']),
      details: z.record(z.string(), z.unknown()),
    }),
  ),
});
export type OwnDataExport = z.infer<typeof ownDataExport>;

/** Deleting the account: the password again (an account without one: a fresh ЕСИА sign-in). */
export const deleteAccountBody = z.object({
  password: z.string().max(200).optional(),
});
export type DeleteAccountBody = z.input<typeof deleteAccountBody>;

export const personRemovedResponse = z.object({
  personId: z.uuid(),
  /** Past visits kept as medical records, without the person's data. */
  pastVisitsKept: z.number(),
  waitlistEntriesWithdrawn: z.number(),
});
export type PersonRemovedResponse = z.infer<typeof personRemovedResponse>;
