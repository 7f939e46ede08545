// Pages load with their own code when first shown (React.lazy), so a patient's first page
// carries only what it shows: the route files name each page by a loader, never a static
// import. A chunk that fails to load (no connection, or a deployment removed the old
// assets while this tab was open) ends on a page that says so and offers to reload.
import { type ComponentType, type LazyExoticComponent, lazy } from 'react';
import { Page } from './ui/Page.js';

/** sessionStorage key: when this tab last reloaded itself after a failed chunk (ms). */
const RELOADED_AT = 'priyom:chunk-reload';
/** A second failure within this time is not reloaded again (the page says so instead). */
const RELOAD_WINDOW_MS = 30_000;

function PageLoadFailed() {
  return (
    <Page title="Страница не загрузилась">
      <p>Не удалось загрузить страницу. Проверьте подключение к интернету и обновите страницу.</p>
      <p>
        <button type="button" className="link-button" onClick={() => window.location.reload()}>
          Обновить страницу
        </button>
      </p>
    </Page>
  );
}

/**
 * After a failed chunk: a newer deployment is the likely cause when the browser is online,
 * and a reload fetches the new HTML with the new asset names — once; otherwise the page above.
 */
function recover<T>(): { default: T } {
  const last = Number(sessionStorage.getItem(RELOADED_AT) ?? 0);
  if (navigator.onLine && Date.now() - last > RELOAD_WINDOW_MS) {
    sessionStorage.setItem(RELOADED_AT, String(Date.now()));
    window.location.reload();
  }
  return { default: PageLoadFailed as T };
}

/** The props of a component type. */
type PropsOf<C> = C extends ComponentType<infer P> ? P : never;

/** The export `name` of the module `load` brings, as a lazily loaded component. */
export function page<M, K extends keyof M>(
  load: () => Promise<M>,
  name: K,
): LazyExoticComponent<ComponentType<PropsOf<M[K]>>> {
  type C = ComponentType<PropsOf<M[K]>>;
  // M[K] is a component whenever PropsOf<M[K]> is not never, which rendering it requires.
  return lazy(() => load().then((m) => ({ default: m[name] as unknown as C }), recover<C>));
}
