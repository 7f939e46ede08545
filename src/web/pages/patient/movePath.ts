// Where the move of a visit («Перенести», MovePages.tsx) goes, for the pages that link to it
// (the visit page, the card file, the doctor's schedule) without loading the move's pages, and
// the words a moved-away visit says.
export const movePath = {
  start: (id: string) => `/appointments/${encodeURIComponent(id)}/move`,
  doctor: (id: string, doctorId: number | string) => `/appointments/${encodeURIComponent(id)}/move/doctor/${doctorId}`,
  check: (id: string, slotId: number | string, doctorId: number | string, date?: string) =>
    `/appointments/${encodeURIComponent(id)}/move/check/${slotId}?doctor=${doctorId}${date ? `&from=${date}` : ''}`,
};

/** What a visit moved to another time says where it is shown (cancelled, cancel_reason 'moved'). */
export const MOVED_AWAY_TEXT = 'Запись перенесена на другое время.';
