// The clinic register: one system account (role `system`, created by migration 0003, it
// cannot sign in) whose card file holds one row per patient known to clinics. Appointments
// made outside the portal — at the registry desk, by a doctor, at an infomat, in a clinic's
// own systems — point to the patient's register row; СНИЛС and полис are unique in it, and
// link it to the same real person in portal card files (SPEC sections 6 and 8).
export const REGISTER_ACCOUNT_ID = '00000000-0000-4000-8000-000000000001';
