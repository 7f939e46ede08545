// Small helpers shared by the steps of the booking journey.
import { useLocation } from 'react-router';
import type { JourneyState } from './BookPersonPage.js';

export function useJourneyState(): JourneyState {
  return (useLocation().state as JourneyState | null) ?? {};
}

/** A path segment from the URL, checked to be a positive integer id. */
export function intId(v: string | undefined): string | null {
  return v && /^\d+$/.test(v) ? v : null;
}
