// The free-text rule (text.ts), table-driven: which characters every free-text field refuses,
// what multiline text may hold, trimming and the length bounds, and the messages.
import { describe, expect, it } from 'vitest';
import { checkedText, forbiddenCharactersMessage, freeText, hasForbiddenCharacters, plainParameter } from './text.js';

describe('hasForbiddenCharacters', () => {
  const cases: Array<[string, string, boolean, boolean]> = [
    // [what, text, refused on one line, refused in multiline text]
    ['plain Russian text', 'Холл, 1 этаж', false, false],
    ['Latin, digits, punctuation', 'Queue-1 (корпус «Б»): №5; 50%', false, false],
    ['an emoji (a surrogate pair)', 'Регистратура 😀', false, false],
    ['a non-breaking space', 'Холл\u00A01', false, false],
    ['Arabic letters (right-to-left script, no override)', 'مرحبا', false, false],
    ['NUL', 'Холл\u0000', true, true],
    ['NUL alone', '\u0000', true, true],
    ['BEL', 'a\u0007b', true, true],
    ['ESC', 'a\u001Bb', true, true],
    ['carriage return', 'a\rb', true, true],
    ['vertical tab', 'a\u000Bb', true, true],
    ['form feed', 'a\u000Cb', true, true],
    ['line feed', 'строка\nвторая', true, false],
    ['tab', 'a\tb', true, false],
    ['DEL', 'a\u007Fb', true, true],
    ['C1 control U+0085 (next line)', 'a\u0085b', true, true],
    ['C1 control U+009F', 'a\u009Fb', true, true],
    ['left-to-right embedding U+202A', '\u202Aabc', true, true],
    ['right-to-left override U+202E', 'abc\u202Efdp.exe', true, true],
    ['pop directional formatting U+202C', 'ab\u202C', true, true],
    ['left-to-right isolate U+2066', '\u2066ab', true, true],
    ['pop directional isolate U+2069', 'ab\u2069', true, true],
    ['left-to-right mark U+200E', 'a\u200Eb', true, true],
    ['right-to-left mark U+200F', 'a\u200Fb', true, true],
    ['Arabic letter mark U+061C', 'a\u061Cb', true, true],
    ['zero-width space U+200B', 'Иван\u200Bов', true, true],
    ['zero-width non-joiner U+200C', 'a\u200Cb', true, true],
    ['zero-width joiner U+200D', 'a\u200Db', true, true],
    ['word joiner U+2060', 'a\u2060b', true, true],
    ['byte order mark U+FEFF', '\uFEFFИван', true, true],
    ['a lone high surrogate', 'a\uD83Db', true, true],
    ['a lone high surrogate at the end', 'ab\uD83D', true, true],
    ['a lone low surrogate', 'a\uDE00b', true, true],
    ['a reversed pair', '\uDE00\uD83D', true, true],
  ];
  it.each(cases)('%s', (_what, text, singleLine, multiline) => {
    expect(hasForbiddenCharacters(text)).toBe(singleLine);
    expect(hasForbiddenCharacters(text, true)).toBe(multiline);
  });
});

describe('freeText', () => {
  const label = freeText({ field: 'Название', max: 10 });
  const bad = forbiddenCharactersMessage('Название');
  const cases: Array<[string, string, { ok: string } | { message: string }]> = [
    ['trimmed', '  Холл 1  ', { ok: 'Холл 1' }],
    ['exactly the maximum', 'а'.repeat(10), { ok: 'а'.repeat(10) }],
    ['the maximum counts after trimming', ` ${'а'.repeat(10)} `, { ok: 'а'.repeat(10) }],
    ['one over the maximum', 'а'.repeat(11), { message: 'Название: не длиннее 10 символов' }],
    ['empty', '', { message: 'Название: заполните это поле' }],
    ['only spaces', '    ', { message: 'Название: заполните это поле' }],
    ['NUL inside', 'Хо\u0000лл', { message: bad }],
    ['NUL at the end is refused, not trimmed away', 'Холл\u0000', { message: bad }],
    ['a line feed in a one-line field', 'Холл\n1', { message: bad }],
    ['a bidi override', '\u202EХолл', { message: bad }],
    ['a zero-width space', 'Хо\u200Bлл', { message: bad }],
    ['a BOM at the start (trim() would have dropped it silently)', '\uFEFFХолл', { message: bad }],
    ['a lone surrogate', 'Холл\uD800', { message: bad }],
  ];
  it.each(cases)('%s', (_what, input, expected) => {
    const r = label.safeParse(input);
    if ('ok' in expected) {
      expect(r.success && r.data).toBe(expected.ok);
    } else {
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.message).toBe(expected.message);
    }
  });

  it('multiline text keeps line feeds and tabs, reads \\r\\n as \\n, still refuses other controls', () => {
    const reason = freeText({ field: 'Причина', max: 100, min: 5, minMessage: 'Укажите причину', multiline: true });
    expect(reason.parse('  Первая строка\r\nвторая\tстрока  ')).toBe('Первая строка\nвторая\tстрока');
    expect(reason.safeParse('Первая\u0000строка').error?.issues[0]?.message).toBe(
      forbiddenCharactersMessage('Причина'),
    );
    expect(reason.safeParse('Причина\u202E').success).toBe(false);
    expect(reason.safeParse('abc').error?.issues[0]?.message).toBe('Укажите причину');
  });

  it('min 0 lets optional text be empty; the field adds its own format check', () => {
    const middle = freeText({ field: 'Отчество', max: 100, min: 0 }).regex(
      /^[А-Яа-яЁё-]*$/u,
      'Отчество: только русские буквы',
    );
    expect(middle.parse('  ')).toBe('');
    expect(middle.parse('Ивановна')).toBe('Ивановна');
    expect(middle.safeParse('Ivanovna').error?.issues[0]?.message).toBe('Отчество: только русские буквы');
    expect(middle.safeParse('Иванов\u200Bна').error?.issues[0]?.message).toBe(forbiddenCharactersMessage('Отчество'));
  });

  it('a longer minimum names the field', () => {
    expect(freeText({ field: 'Комментарий', max: 50, min: 3 }).safeParse('ab').error?.issues[0]?.message).toBe(
      'Комментарий: не короче 3 символов',
    );
  });
});

describe('plainParameter', () => {
  it('refuses forbidden characters and bounds the length, without trimming', () => {
    const state = plainParameter('state', 8);
    expect(state.parse(' abc ')).toBe(' abc ');
    expect(state.safeParse('ab\u0000').error?.issues[0]?.message).toBe(forbiddenCharactersMessage('state'));
    expect(state.safeParse('123456789').error?.issues[0]?.message).toBe('state: не длиннее 8 символов');
  });
});

describe('checkedText', () => {
  it('checks the characters only, so a format check reads the value next (СНИЛС with separators)', () => {
    const snils = checkedText('СНИЛС').transform((v) => v.replace(/[\s-]/g, ''));
    expect(snils.parse('112-233-445 95')).toBe('11223344595');
    expect(snils.safeParse('112-233-445\u000095').error?.issues[0]?.message).toBe(forbiddenCharactersMessage('СНИЛС'));
    expect(snils.safeParse('\u200B11223344595').success).toBe(false);
  });
});
