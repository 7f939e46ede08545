import type { AppContext } from '../../context.js';

export async function expandTemplatesAhead(_ctx: AppContext): Promise<number> {
  return 0;
}
