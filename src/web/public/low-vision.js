// «Версия для слабовидящих» before the first paint: reads this browser's saved settings and
// sets them as attributes on <html>, which styles.css turns into text size, colours, spacing
// and images. It runs synchronously in <head>, so the page never paints in the wrong mode; the
// build copies it inline into the HTML (vite.config.ts, inlineLowVision), which the CSP allows
// by its hash. The panel that
// changes the settings is src/web/ui/LowVision.tsx (same key, same attribute names).
(() => {
  try {
    const saved = JSON.parse(window.localStorage.getItem('priyom.lowVision') || 'null');
    if (saved?.on !== true) return;
    const html = document.documentElement;
    html.setAttribute('data-lv', '');
    html.setAttribute('data-lv-size', ['1', '2', '3'].includes(saved.size) ? saved.size : '2');
    html.setAttribute('data-lv-scheme', ['bw', 'wb', 'blue'].includes(saved.scheme) ? saved.scheme : 'bw');
    if (saved.spacing === true) html.setAttribute('data-lv-spacing', '');
    if (saved.images === false) html.setAttribute('data-lv-no-images', '');
  } catch {
    /* no storage or a broken value: the ordinary version */
  }
})();
