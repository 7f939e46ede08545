import { describe, expect, it } from 'vitest';
import { splitLinks } from './links.js';

describe('splitLinks', () => {
  it.each([
    ['no links at all', 'Здравствуйте!', [{ text: 'Здравствуйте!' }]],
    [
      'a link on its own line',
      'Ссылка:\nhttp://127.0.0.1:3199/confirm?token=abc_DEF-1\nСпасибо',
      [
        { text: 'Ссылка:\n' },
        {
          text: 'http://127.0.0.1:3199/confirm?token=abc_DEF-1',
          href: 'http://127.0.0.1:3199/confirm?token=abc_DEF-1',
        },
        { text: '\nСпасибо' },
      ],
    ],
    [
      'sentence punctuation after the address stays text',
      'Откройте https://portal.example/cardfile.',
      [
        { text: 'Откройте ' },
        { text: 'https://portal.example/cardfile', href: 'https://portal.example/cardfile' },
        { text: '.' },
      ],
    ],
    [
      'two links',
      'a https://x.example/1 b http://y.example/2',
      [
        { text: 'a ' },
        { text: 'https://x.example/1', href: 'https://x.example/1' },
        { text: ' b ' },
        { text: 'http://y.example/2', href: 'http://y.example/2' },
      ],
    ],
    [
      'other schemes are not links',
      'javascript:alert(1) mailto:a@b.ru',
      [{ text: 'javascript:alert(1) mailto:a@b.ru' }],
    ],
    [
      'markup in the text is just text',
      '<b>https://x.example/"onmouseover=1</b>',
      [{ text: '<b>' }, { text: 'https://x.example/', href: 'https://x.example/' }, { text: '"onmouseover=1</b>' }],
    ],
  ])('%s', (_name, text, expected) => {
    expect(splitLinks(text)).toEqual(expected);
    expect(
      splitLinks(text)
        .map((p) => p.text)
        .join(''),
    ).toBe(text);
  });
});
