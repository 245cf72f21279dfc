// Every /api resource route goes through here: authentication first, then method dispatch, JSON errors always.
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import type { User } from '../../db/users';
import { requireApiUser } from './auth.server';
import { apiError, methodNotAllowed } from './http.server';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Handler = (args: { request: Request; params: LoaderFunctionArgs['params']; user: User }) => Promise<Response>;

/** Builds one function to export as both `loader` and `action`. */
export function apiHandler(handlers: Partial<Record<Method, Handler>>) {
  return async ({ request, params }: LoaderFunctionArgs | ActionFunctionArgs): Promise<Response> => {
    try {
      const user = await requireApiUser(request);
      const method = (request.method === 'HEAD' ? 'GET' : request.method) as Method;
      const handler = handlers[method];
      if (!handler) return methodNotAllowed(request, Object.keys(handlers));
      return await handler({ request, params, user });
    } catch (err) {
      if (err instanceof Response) return err;
      console.error(`[api] ${request.method} ${new URL(request.url).pathname} failed:`, err);
      return apiError(
        500,
        `Internal error while handling ${request.method} ${new URL(request.url).pathname}: ${(err as Error).message}`,
      );
    }
  };
}
