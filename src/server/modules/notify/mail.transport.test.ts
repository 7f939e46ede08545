import { describe, expect, it } from 'vitest';
import { pooledSmtpUrl } from './mail.transport.js';

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
