import { describe, expect, it } from 'vitest';
import { messageIdOf, pooledSmtpUrl } from './mail.transport.js';

describe('pooledSmtpUrl', () => {
  it.each([
    ['smtp://mail.example.org:25', 'smtp://mail.example.org:25?pool=true'],
    ['smtps://user:secret@mail.example.org:465', 'smtps://user:secret@mail.example.org:465?pool=true'],
    ['smtp://mail.example.org:587?requireTLS=true', 'smtp://mail.example.org:587?requireTLS=true&pool=true'],
    // The operator's own choice stands.
    ['smtp://mail.example.org:25?pool=false', 'smtp://mail.example.org:25?pool=false'],
  ])('%s -> %s', (input, expected) => {
    expect(pooledSmtpUrl(input)).toBe(expected);
  });
});

describe('messageIdOf', () => {
  it.each([
    [42, 'https://portal.example.ru', '<42@portal.example.ru>'],
    [7, 'http://127.0.0.1:3000', '<7@127.0.0.1>'],
    [1_000_000, 'https://Portal.Example.RU:8443/app', '<1000000@portal.example.ru>'],
  ])('row %s at %s -> %s', (id, publicUrl, expected) => {
    expect(messageIdOf(id, publicUrl)).toBe(expected);
  });
});
