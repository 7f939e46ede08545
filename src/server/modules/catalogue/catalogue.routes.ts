import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';

export function catalogueRoutes(_ctx: AppContext): FastifyPluginAsyncZod {
  return async () => undefined;
}
