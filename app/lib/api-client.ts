// Browser-side calls to our own JSON API (cookie-authenticated). Errors carry the API's message and diagnostics.
import type { Diagnostic } from '../../ir/types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly diagnostics: Diagnostic[] = [],
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export async function apiFetch<T>(
  path: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? 'GET',
      headers: init.body === undefined ? undefined : { 'Content-Type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: 'same-origin',
      signal: init.signal,
    });
  } catch (err) {
    throw new ApiError(0, `Cannot reach the Baton server (${(err as Error).message}). Check that it is running.`);
  }
  if (response.status === 204) return undefined as T;
  const data = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const error = (data.error ?? {}) as { message?: string; diagnostics?: Diagnostic[] };
    throw new ApiError(
      response.status,
      error.message ?? `Request failed with HTTP ${response.status}.`,
      error.diagnostics ?? [],
      error,
    );
  }
  return data as T;
}
