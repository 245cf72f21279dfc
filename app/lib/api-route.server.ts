// Every /api resource route goes through here: authentication, the route's rule from the one authorization table
// (access-rules.ts), then method dispatch; JSON errors always. A method without a rule is refused (fail closed),
// and the authorization matrix test fails for it.
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import type { User } from '../../db/users';
import type { Permission } from '../../contracts/permissions';
import { apiRuleFor, type ApiRoute } from './access-rules';
import { requireApiCaller } from './auth.server';
import { requirePermission, type Caller } from './caller.server';
import { apiError, methodNotAllowed } from './http.server';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Handler = (args: {
  request: Request;
  params: LoaderFunctionArgs['params'];
  caller: Caller;
  /** `caller.user`. */
  user: User;
  /** The client's address (server.ts's load context), for audit entries. */
  ip: string;
}) => Promise<Response>;

/** Paths of the form `/api/...` whose `METHOD path` appears in API_RULES. */
type PatternOf<R> = R extends `${string} ${infer P}` ? P : never;
export type ApiPattern = PatternOf<ApiRoute>;

/** Builds one function to export as both `loader` and `action` for the route file serving `pattern`. */
export function apiHandler(pattern: ApiPattern, handlers: Partial<Record<Method, Handler>>) {
  const handle = async ({ request, params, context }: LoaderFunctionArgs | ActionFunctionArgs): Promise<Response> => {
    try {
      const method = (request.method === 'HEAD' ? 'GET' : request.method) as Method;
      const handler = handlers[method];
      const rule = apiRuleFor(method, pattern);
      const caller = await requireApiCaller(request);
      if (!handler) return methodNotAllowed(request, Object.keys(handlers));
      if (rule === undefined || rule === 'public') {
        console.error(`[api] ${method} ${pattern} has no rule in app/lib/access-rules.ts; refusing.`);
        return apiError(403, `${method} ${pattern} has no authorization rule, so it is refused.`);
      }
      if (rule !== 'signed-in') requirePermission(caller, rule as Permission);
      return await handler({ request, params, caller, user: caller.user, ip: context?.clientIp ?? 'unknown' });
    } catch (err) {
      if (err instanceof Response) return err;
      console.error(`[api] ${request.method} ${new URL(request.url).pathname} failed:`, err);
      return apiError(
        500,
        `Internal error while handling ${request.method} ${new URL(request.url).pathname}: ${(err as Error).message}`,
      );
    }
  };
  return Object.assign(handle, { pattern, methods: Object.keys(handlers) as Method[] });
}
