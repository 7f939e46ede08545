// The stand-in's HTML: the consent page (choose a test citizen, or refuse), its error
// page, and the faults page. Russian, plain HTML forms, no scripts.
import type { StandinCitizen } from './citizens.js';
import { esiaDate } from './citizens.js';

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

const STYLE = `
body{font-family:Arial,Helvetica,sans-serif;font-size:17px;line-height:1.5;color:#1a1a1a;background:#f3f5f8;margin:0}
header{background:#0d4cd3;color:#fff;padding:12px 24px}
header p{margin:0;font-weight:bold}
main{max-width:720px;margin:24px auto;background:#fff;padding:24px;border-radius:8px}
h1{font-size:26px;margin-top:0}
fieldset{border:0;padding:0;margin:0 0 16px}
legend{font-weight:bold;margin-bottom:8px}
.choice{display:flex;gap:10px;align-items:flex-start;padding:10px;border:1px solid #8a94a6;border-radius:6px;margin-bottom:8px}
.choice input{width:22px;height:22px;margin-top:3px}
.hint{color:#434c5b;font-size:15px}
button{font-size:17px;padding:10px 18px;border-radius:6px;border:2px solid #0d4cd3;cursor:pointer;margin-right:12px}
.primary{background:#0d4cd3;color:#fff}
.secondary{background:#fff;color:#0d4cd3}
button:focus-visible,input:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}
ul{padding-left:20px}
`;

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} — Госуслуги (тестовый стенд)</title><style>${STYLE}</style></head><body><header><p>Госуслуги · тестовый стенд ЕСИА портала «Приём»</p></header><main id="main"><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

const SCOPE_TEXT: Record<string, string> = {
  openid: 'идентификатор учётной записи',
  fullname: 'фамилия, имя и отчество',
  birthdate: 'дата рождения',
  gender: 'пол',
  snils: 'СНИЛС',
  id_doc: 'данные документа, удостоверяющего личность',
  email: 'адрес электронной почты',
  mobile: 'номер мобильного телефона',
};

export function consentPage(opts: {
  action: string;
  requestId: string;
  clientId: string;
  scope: string;
  citizens: readonly StandinCitizen[];
}): string {
  const scopes = opts.scope
    .split(' ')
    .filter(Boolean)
    .map((s) => `<li>${escapeHtml(SCOPE_TEXT[s] ?? s)}</li>`)
    .join('');
  const choices = opts.citizens
    .map((c, i) => {
      const name = [c.lastName, c.firstName, c.middleName].filter(Boolean).join(' ');
      return `<div class="choice"><input type="radio" name="citizen" id="citizen-${i}" value="${escapeHtml(c.oid)}" required${i === 0 ? ' aria-describedby="citizen-0-hint"' : ''}><label for="citizen-${i}">${escapeHtml(name)}, ${esiaDate(c.birthDate)}<br><span class="hint" id="citizen-${i}-hint">${escapeHtml(c.description)}</span></label></div>`;
    })
    .join('');
  return layout(
    'Вход в систему «Приём»',
    `<p>Система <strong>${escapeHtml(opts.clientId)}</strong> запрашивает доступ к вашим данным:</p><ul>${scopes}</ul>
<form method="post" action="${escapeHtml(opts.action)}">
<input type="hidden" name="request" value="${escapeHtml(opts.requestId)}">
<fieldset><legend>Выберите тестового пользователя</legend>${choices}</fieldset>
<button type="submit" class="primary" name="decision" value="allow">Предоставить</button>
<button type="submit" class="secondary" name="decision" value="deny" formnovalidate>Отказать</button>
</form>`,
  );
}

export function errorPage(message: string): string {
  return layout(
    'Вход невозможен',
    `<p>${escapeHtml(message)}</p><p>Вернитесь на сайт, с которого начали вход, и попробуйте снова.</p>`,
  );
}

export function faultsPage(opts: {
  action: string;
  all: readonly { id: string; text: string }[];
  active: ReadonlySet<string>;
}): string {
  const boxes = opts.all
    .map(
      (f) =>
        `<div class="choice"><input type="checkbox" name="fault" id="fault-${f.id}" value="${f.id}"${opts.active.has(f.id) ? ' checked' : ''}><label for="fault-${f.id}">${escapeHtml(f.text)} <span class="hint">(${f.id})</span></label></div>`,
    )
    .join('');
  return layout(
    'Неисправности тестового стенда',
    `<p>Включённые неисправности действуют на все входы через стенд, пока их не выключат.</p>
<form method="post" action="${escapeHtml(opts.action)}"><fieldset><legend>Неисправности</legend>${boxes}</fieldset>
<button type="submit" class="primary">Сохранить</button></form>`,
  );
}
