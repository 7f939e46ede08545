import { describe, expect, it } from 'vitest';
import { bookingGroupsPerInstance } from '../../bench/lib/servers.js';

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
