// Every Remix action reads its form through here, so a body is refused at a size no Baton form comes near
// before it is parsed, and an unauthenticated visitor cannot make the server buffer a gigabyte.
import { readBodyUpTo, tooLarge } from './http.server';

// Baton's forms hold a few short fields (sign-in, setup, workflow list actions); 64 KB is far above any of them.
export const FORM_BODY_LIMIT = 64 * 1024;

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/** The submitted form; throws a 413 page past `limit` bytes and a 400 page for a body that is not a form. */
export async function readForm(request: Request, limit = FORM_BODY_LIMIT): Promise<FormData> {
  const type = request.headers.get('Content-Type') ?? '';
  const body = await readBodyUpTo(request, limit);
  if (!body)
    throw tooLarge(
      `This form is larger than the ${limit / 1024} KB a Baton form accepts, so it was not processed and nothing changed.`,
      'text',
    );
  if (!FORM_TYPES.test(type))
    throw refusal(400, 'Send this form as application/x-www-form-urlencoded or multipart/form-data.');
  try {
    return await new Response(body, { headers: { 'Content-Type': type } }).formData();
  } catch (err) {
    throw refusal(400, `The submitted form could not be read: ${(err as Error).message}.`);
  }
}

const refusal = (status: number, message: string) =>
  new Response(message, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
