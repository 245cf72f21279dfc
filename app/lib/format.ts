// Human-readable text for pages: times for lists ("3 min ago") that render the same on server and client for a
// while, and the message an error boundary shows.
import { isRouteErrorResponse } from '@remix-run/react';

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

export function timeAgo(value: string | Date | undefined, now = Date.now()): string {
  if (!value) return '';
  const seconds = Math.round((new Date(value).getTime() - now) / 1000);
  if (Math.abs(seconds) < 45) return 'just now';
  const fmt = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, size] of UNITS) if (Math.abs(seconds) >= size) return fmt.format(Math.round(seconds / size), unit);
  return fmt.format(Math.round(seconds / 60), 'minute');
}

export function dateTime(value: string | Date | undefined): string {
  if (!value) return '';
  return new Date(value).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * What went wrong, for a route's ErrorBoundary: a thrown response's text (or the message of an `apiError` JSON body,
 * else its status text), an Error's message, else `fallback`.
 */
export function routeErrorMessage(error: unknown, fallback: string): string {
  if (isRouteErrorResponse(error)) {
    if (typeof error.data === 'string') return error.data;
    return (error.data as { error?: { message?: string } } | null)?.error?.message ?? (error.statusText || fallback);
  }
  return error instanceof Error ? error.message : fallback;
}
