// Small helpers shared by the steps of the booking journey.
import { useLocation } from 'react-router';
import type { JourneyState } from './BookPersonPage.js';

const BACK_KEY = 'priyom.journey.back';

/**
 * The journey's state passed between steps. Where the journey started (`back`) is also kept
 * for this tab, so the first step's back link still works after the person went forward
 * and came back through the pages' own back links (which carry no state).
 */
export function useJourneyState(): JourneyState {
  const state = (useLocation().state as JourneyState | null) ?? {};
  try {
    if (state.back) sessionStorage.setItem(BACK_KEY, state.back);
    else {
      const kept = sessionStorage.getItem(BACK_KEY);
      if (kept?.startsWith('/')) return { ...state, back: kept };
    }
  } catch {
    /* storage unavailable: the state alone is used */
  }
  return state;
}

/** A path segment from the URL, checked to be a positive integer id. */
export function intId(v: string | undefined): string | null {
  return v && /^\d+$/.test(v) ? v : null;
}
