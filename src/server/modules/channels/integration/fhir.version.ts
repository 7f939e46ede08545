// Versions of the FHIR view's resources: meta.versionId, meta.lastUpdated, the ETag and the
// conditional headers (If-None-Match for reads, If-Match for writes). Pure: no I/O, no clock.
//
// The rules (docs/integration-api.md «HL7 FHIR R4»):
// - Appointment: versionId = the microseconds since the epoch of its last change (made,
//   cancelled, visited, no-show: the `changedAt` of integration.repository.ts), as decimal
//   digits; meta.lastUpdated = that instant to the microsecond. Every write to an appointment
//   moves one of the instants changedAt is the greatest of, so a new version gets a new id.
// - Slot and Schedule have no stored time of change (a slot's FHIR status also changes when a
//   hold lapses, with no write at all): versionId = a digest of the resource's content (16 hex
//   digits of SHA-256), and no meta.lastUpdated. Equal content, equal version; a version id is
//   an entity tag of the representation, so If-None-Match and ETag stay exact. They have no
//   history (no vread), and `_lastUpdated` is not a search parameter of theirs.
// - ETag: W/"<versionId>" (weak: the JSON's bytes are not promised, the content is).
import { createHash } from 'node:crypto';
import type { FhirResource } from './fhir.search.js';

export interface ResourceVersion {
  versionId: string;
  /** FHIR instant, when the resource has a real time of change. */
  lastUpdated?: string;
}

/** Microseconds since the epoch (decimal digits) as a FHIR instant with all six fraction digits. */
export function instantOfMicros(us: string): string {
  const micros = BigInt(us);
  const seconds = micros / 1_000_000n;
  const fraction = micros % 1_000_000n;
  const whole = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return `${whole}.${fraction.toString().padStart(6, '0')}Z`;
}

/** An appointment's version from its last change (microseconds since the epoch, decimal). */
export function appointmentVersion(changedUs: string): ResourceVersion {
  if (!/^\d{1,19}$/.test(changedUs)) throw new Error('changedUs: microseconds since the epoch expected');
  return { versionId: changedUs, lastUpdated: instantOfMicros(changedUs) };
}

/** A version for a resource with no stored time of change: a digest of its content (without meta). */
export function contentVersion(resource: FhirResource): ResourceVersion {
  const { meta: _meta, ...content } = resource;
  return { versionId: createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 16) };
}

/** The resource with meta.versionId (and meta.lastUpdated when known); other meta kept. */
export function withVersion(resource: FhirResource, version: ResourceVersion): FhirResource {
  const meta = (resource.meta ?? {}) as Record<string, unknown>;
  const { lastUpdated: _old, ...rest } = meta;
  return {
    ...resource,
    meta: {
      ...rest,
      versionId: version.versionId,
      ...(version.lastUpdated ? { lastUpdated: version.lastUpdated } : {}),
    },
  };
}

/** The version a resource carries in meta (set by withVersion). */
export function versionOf(resource: FhirResource): string | null {
  const meta = resource.meta as { versionId?: unknown } | undefined;
  return typeof meta?.versionId === 'string' ? meta.versionId : null;
}

export function etagOf(versionId: string): string {
  return `W/"${versionId}"`;
}

/** The entity tags listed in an If-None-Match or If-Match header (`*` as itself), weak or strong alike. */
export function entityTags(header: string | string[] | undefined): string[] {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const tags: string[] = [];
  for (const m of text.matchAll(/\s*(?:(\*)|(?:W\/)?"([^"]*)")\s*(?:,|$)/g)) tags.push(m[1] ?? m[2]);
  return tags;
}

/**
 * Whether a conditional read is answered 304: If-None-Match lists the version (weak
 * comparison, RFC 9110 13.1.2) or `*`.
 */
export function notModified(ifNoneMatch: string | string[] | undefined, versionId: string): boolean {
  return entityTags(ifNoneMatch).some((t) => t === '*' || t === versionId);
}

/**
 * The version id an If-Match header asks for: `W/"<versionId>"` or `"<versionId>"` (one tag).
 * Null when the header is absent; `invalid` when it is not one entity tag.
 */
export function ifMatchVersion(ifMatch: string | string[] | undefined): string | null | 'invalid' {
  if (ifMatch === undefined) return null;
  const text = (Array.isArray(ifMatch) ? ifMatch.join(',') : ifMatch).trim();
  const m = /^(?:W\/)?"([A-Za-z0-9.-]{1,64})"$/.exec(text);
  return m ? m[1] : 'invalid';
}
