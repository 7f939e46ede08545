// Time zones as a person in Russia names them: «по времени Ижевска (МСК+1)», never
// «Europe/Samara, GMT+4». The offset is counted from Moscow's; the city is the organisation's
// (from its address), else the zone's main city. Pure; shared by the web pages and the server.
// Offsets come from the platform's Intl (the browser's and Node's zone data), not from
// @internationalized/date: this file is in every page's first load.

/** The region's zone (Udmurtia): event times with no organisation behind them are shown in it. */
export const REGION_TIME_ZONE = 'Europe/Samara';

/** The main city of each zone of Russia, in the genitive («по времени Самары»). */
const ZONE_CITY_GENITIVE: Record<string, string> = {
  'Europe/Kaliningrad': 'Калининграда',
  'Europe/Moscow': 'Москвы',
  'Europe/Simferopol': 'Симферополя',
  'Europe/Kirov': 'Кирова',
  'Europe/Volgograd': 'Волгограда',
  'Europe/Astrakhan': 'Астрахани',
  'Europe/Saratov': 'Саратова',
  'Europe/Ulyanovsk': 'Ульяновска',
  'Europe/Samara': 'Самары',
  'Asia/Yekaterinburg': 'Екатеринбурга',
  'Asia/Omsk': 'Омска',
  'Asia/Novosibirsk': 'Новосибирска',
  'Asia/Barnaul': 'Барнаула',
  'Asia/Tomsk': 'Томска',
  'Asia/Novokuznetsk': 'Новокузнецка',
  'Asia/Krasnoyarsk': 'Красноярска',
  'Asia/Irkutsk': 'Иркутска',
  'Asia/Chita': 'Читы',
  'Asia/Yakutsk': 'Якутска',
  'Asia/Khandyga': 'Хандыги',
  'Asia/Vladivostok': 'Владивостока',
  'Asia/Ust-Nera': 'Усть-Неры',
  'Asia/Magadan': 'Магадана',
  'Asia/Sakhalin': 'Южно-Сахалинска',
  'Asia/Srednekolymsk': 'Среднеколымска',
  'Asia/Kamchatka': 'Петропавловска-Камчатского',
  'Asia/Anadyr': 'Анадыря',
};

const wallClocks = new Map<string, Intl.DateTimeFormat>();

/** A zone's offset from UTC at an instant, in milliseconds (its wall clock minus UTC's). */
export function zoneOffsetMs(timeZone: string, at: Date): number {
  let f = wallClocks.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallClocks.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}

/** «МСК», «МСК+1», «МСК−1» (a true minus sign): the zone's offset from Moscow's at that instant. */
export function mskLabel(timeZone: string, at: Date): string {
  const hours = Math.round((zoneOffsetMs(timeZone, at) - zoneOffsetMs('Europe/Moscow', at)) / 3_600_000);
  if (hours === 0) return 'МСК';
  return hours > 0 ? `МСК+${hours}` : `МСК−${-hours}`;
}

/** The town of a Russian postal address: «426011, Удмуртская Республика, г. Ижевск, ул. …» -> «Ижевск». */
export function cityOfAddress(address: string): string | null {
  const m = /(?:^|,)\s*(?:г\.|город)\s*([А-ЯЁ][А-Яа-яЁё]*(?:-[А-ЯЁа-яё][А-Яа-яЁё]*)*)\s*(?:,|$)/u.exec(address);
  return m ? m[1] : null;
}

const HUSHING_OR_VELAR = /[гкхжшчщ]$/u;

/**
 * A town's name in the genitive, for «по времени …»: Ижевск -> Ижевска, Самара -> Самары,
 * Можга -> Можги. Null where a simple rule could be wrong (a soft sign, compound names,
 * indeclinable ones): the caller then names the town without declining it.
 */
export function cityGenitive(city: string): string | null {
  if (!/^[А-ЯЁ][а-яё]+$/u.test(city)) return null;
  if (/[бвдзлмнпрстфхцчшщжгк]$/u.test(city)) return `${city}а`;
  if (city.endsWith('а')) return `${city.slice(0, -1)}${HUSHING_OR_VELAR.test(city.slice(0, -1)) ? 'и' : 'ы'}`;
  if (city.endsWith('я')) return `${city.slice(0, -1)}и`;
  return null;
}

/**
 * How a page says whose clock its times are on: «по времени Ижевска (МСК+1)» for an
 * organisation at «… г. Ижевск …» in Europe/Samara; the zone's main city when the address
 * names none («по времени Самары (МСК+1)»); «по местному времени, Дебёсы (МСК+1)» when the
 * town's name is not declined by rule; «по местному времени (МСК+N)» for a zone outside the table.
 */
export function zoneLabel(timeZone: string, address: string | null = null, at: Date = new Date()): string {
  const msk = mskLabel(timeZone, at);
  const city = address ? cityOfAddress(address) : null;
  if (city) {
    const genitive = cityGenitive(city);
    return genitive ? `по времени ${genitive} (${msk})` : `по местному времени, ${city} (${msk})`;
  }
  const main = ZONE_CITY_GENITIVE[timeZone];
  return main ? `по времени ${main} (${msk})` : `по местному времени (${msk})`;
}
