// What every service receives: configuration, the database and the clock.
import type { Config } from './config.js';
import type { Db } from './db/index.js';

export interface AppContext {
  config: Config;
  db: Db;
  /** The current instant; tests pass a controllable clock. */
  now: () => Date;
}
