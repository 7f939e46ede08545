import type { AppContext } from '../../context.js';

export async function loadDemoDataIfEmpty(_ctx: AppContext): Promise<boolean> {
  return false;
}
