import { describe, expect, it } from 'vitest';
import { bookingGroupsPerInstance, serverEnvironment } from '../../bench/lib/servers.js';
import { loadConfig } from '../../src/server/config.js';

describe('bookingGroupsPerInstance', () => {
  it('leaves one process to the server’s default', () => {
    expect(bookingGroupsPerInstance(1, 2)).toBeNull();
    expect(bookingGroupsPerInstance(1, 16)).toBeNull();
  });

  it('gives each of several processes its share of the cores, at least one', () => {
    expect(bookingGroupsPerInstance(2, 2)).toBe(1);
    expect(bookingGroupsPerInstance(2, 8)).toBe(4);
    expect(bookingGroupsPerInstance(3, 8)).toBe(2);
    expect(bookingGroupsPerInstance(4, 2)).toBe(1);
  });
});

describe('serverEnvironment', () => {
  it('is a configuration the server accepts (a limit the config refuses stopped every benchmark server)', () => {
    const env = serverEnvironment(
      {
        databaseUrl: 'postgres://postgres@127.0.0.1:5432/bench',
        sessionSecret: 's'.repeat(40),
        smtpPort: 2525,
        poolSize: 10,
        bookingGroups: 1,
      },
      3000,
    );
    const config = loadConfig(env);
    expect(config.env).toBe('production');
    expect(config.rateLimit.bookingPerMinute).toBe(1_000_000);
    expect(config.bookingGroups).toBe(1);
  });
});
