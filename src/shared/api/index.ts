// The HTTP contract: one schema per endpoint, shared by the server (validation and
// response serialisation) and the web app (types and client-side checks), one file per module.
export * from './common.js';
export * from './identity.js';
export * from './waitlist.js';
export * from './visits.js';
export * from './history.js';
export * from './patients.js';
export * from './moderation.js';
export * from './catalogue.js';
export * from './booking.js';
export * from './move.js';
export * from './staff.js';
export * from './notify.js';
export * from './operator.js';
export * from './devmail.js';
export * from './kiosk.js';
export * from './integration.js';
export * from './integration-schedules.js';
export * from './webhooks.js';
export * from './absence.js';
export * from './catalogue-admin.js';
export * from './esia.js';
export * from './schedule-admin.js';
export * from './talon.js';
export * from './referrals.js';
export * from './own-data.js';
