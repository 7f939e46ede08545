import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';

export function moderationRoutes(_ctx: AppContext): FastifyPluginAsyncZod {
  return async () => undefined;
}
