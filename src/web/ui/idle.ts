// Work that can wait for the page: run when the browser is idle after it rendered (at the
// latest after a few seconds), so that fetching code ahead never competes with a first load.

/** Runs `task` when the browser is idle; returns the cancel (an effect's cleanup). */
export function whenIdle(task: () => void): () => void {
  if (typeof window.requestIdleCallback === 'function') {
    const id = window.requestIdleCallback(task, { timeout: 5000 });
    return () => window.cancelIdleCallback(id);
  }
  const id = window.setTimeout(task, 2000);
  return () => window.clearTimeout(id);
}
