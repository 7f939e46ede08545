// «Версия для слабовидящих» (ГОСТ Р 52872-2019): the switch in the header of every page, its
// keyboard shortcut, and the settings bar (text size, colours, spacing, images). Settings live
// in this browser's localStorage and are mirrored as attributes on <html>; public/low-vision.js
// applies the saved ones before the first paint, styles.css does the rest. Plain elements, no
// libraries: this is in every page's first load.
import { useCallback, useEffect, useState } from 'react';

export type LowVisionSize = '1' | '2' | '3';
export type LowVisionScheme = 'bw' | 'wb' | 'blue';

export interface LowVisionSettings {
  on: boolean;
  size: LowVisionSize;
  scheme: LowVisionScheme;
  spacing: boolean;
  images: boolean;
}

/** The localStorage key; public/low-vision.js reads the same one. */
export const LOW_VISION_KEY = 'priyom.lowVision';
/** The shortcut, as aria-keyshortcuts spells it; matched by key position, so it works in any layout. */
export const LOW_VISION_SHORTCUT = 'Alt+Shift+V';

const DEFAULTS: LowVisionSettings = { on: false, size: '2', scheme: 'bw', spacing: false, images: true };

const SIZES: { value: LowVisionSize; label: string }[] = [
  { value: '1', label: '100 %' },
  { value: '2', label: '150 %' },
  { value: '3', label: '200 %' },
];
const SCHEMES: { value: LowVisionScheme; label: string }[] = [
  { value: 'bw', label: 'Чёрный на белом' },
  { value: 'wb', label: 'Белый на чёрном' },
  { value: 'blue', label: 'Тёмно-синий на голубом' },
];

/** A saved value, or the defaults for anything missing or malformed. */
export function parseLowVision(raw: string | null): LowVisionSettings {
  let saved: unknown = null;
  try {
    saved = raw ? JSON.parse(raw) : null;
  } catch {
    saved = null;
  }
  if (!saved || typeof saved !== 'object') return DEFAULTS;
  const s = saved as Record<string, unknown>;
  return {
    on: s.on === true,
    size: SIZES.some((x) => x.value === s.size) ? (s.size as LowVisionSize) : DEFAULTS.size,
    scheme: SCHEMES.some((x) => x.value === s.scheme) ? (s.scheme as LowVisionScheme) : DEFAULTS.scheme,
    spacing: s.spacing === true,
    images: s.images !== false,
  };
}

function readSaved(): LowVisionSettings {
  try {
    return parseLowVision(window.localStorage.getItem(LOW_VISION_KEY));
  } catch {
    return DEFAULTS;
  }
}

/** Mirrors the settings onto <html> (the same attributes public/low-vision.js sets). */
function apply(settings: LowVisionSettings) {
  const html = document.documentElement;
  const set = (name: string, value: string | null) => {
    if (value === null) html.removeAttribute(name);
    else html.setAttribute(name, value);
  };
  set('data-lv', settings.on ? '' : null);
  set('data-lv-size', settings.on ? settings.size : null);
  set('data-lv-scheme', settings.on ? settings.scheme : null);
  set('data-lv-spacing', settings.on && settings.spacing ? '' : null);
  set('data-lv-no-images', settings.on && !settings.images ? '' : null);
}

export function LowVision() {
  const [settings, setSettings] = useState<LowVisionSettings>(readSaved);
  const [announcement, setAnnouncement] = useState('');

  const update = useCallback((change: Partial<LowVisionSettings>) => {
    setSettings((old) => {
      const next = { ...old, ...change };
      try {
        window.localStorage.setItem(LOW_VISION_KEY, JSON.stringify(next));
      } catch {
        /* private mode without storage: applies to this page only */
      }
      return next;
    });
  }, []);

  useEffect(() => apply(settings), [settings]);

  const toggle = useCallback(() => {
    setSettings((old) => {
      const next = { ...old, on: !old.on };
      try {
        window.localStorage.setItem(LOW_VISION_KEY, JSON.stringify(next));
      } catch {
        /* as above */
      }
      setAnnouncement(next.on ? 'Версия для слабовидящих включена' : 'Обычная версия включена');
      return next;
    });
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey && event.shiftKey && !event.ctrlKey && !event.metaKey && event.code === 'KeyV') {
        event.preventDefault();
        toggle();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [toggle]);

  return (
    <div className="lv-bar">
      <div className="lv-inner">
        <button
          type="button"
          className="lv-switch"
          aria-pressed={settings.on}
          aria-keyshortcuts={LOW_VISION_SHORTCUT}
          onClick={toggle}
        >
          Версия для слабовидящих <span className="lv-shortcut">(Alt+Shift+V)</span>
        </button>
        <span className="visually-hidden" role="status">
          {announcement}
        </span>
        {settings.on && (
          <section className="lv-settings" aria-label="Настройки версии для слабовидящих">
            <fieldset className="lv-group">
              <legend>Размер текста</legend>
              {SIZES.map((s) => (
                <label key={s.value} className="lv-choice">
                  <input
                    type="radio"
                    name="lv-size"
                    value={s.value}
                    checked={settings.size === s.value}
                    onChange={() => update({ size: s.value })}
                  />
                  {s.label}
                </label>
              ))}
            </fieldset>
            <fieldset className="lv-group">
              <legend>Цвета</legend>
              {SCHEMES.map((s) => (
                <label key={s.value} className={`lv-choice lv-sample-${s.value}`}>
                  <input
                    type="radio"
                    name="lv-scheme"
                    value={s.value}
                    checked={settings.scheme === s.value}
                    onChange={() => update({ scheme: s.value })}
                  />
                  {s.label}
                </label>
              ))}
            </fieldset>
            <fieldset className="lv-group">
              <legend>Текст и изображения</legend>
              <label className="lv-choice">
                <input
                  type="checkbox"
                  checked={settings.spacing}
                  onChange={(e) => update({ spacing: e.currentTarget.checked })}
                />
                Увеличенные интервалы между буквами и строками
              </label>
              <label className="lv-choice">
                <input
                  type="checkbox"
                  checked={settings.images}
                  onChange={(e) => update({ images: e.currentTarget.checked })}
                />
                Показывать изображения
              </label>
            </fieldset>
          </section>
        )}
      </div>
    </div>
  );
}
