// A CalDAV account (Nextcloud, Fastmail, iCloud with an app password, Radicale…). The test logs in through tsdav's
// account discovery and lists the account's calendars; it changes nothing.
import { listCalendars } from '../calendar-event/calendar-client';
import { caldavFromCredential } from '../calendar-event/caldav-settings';
import { fetchOver } from '../calendar-event/dav-fetch';
import { defineCredentialType, field } from './define';

export const caldav = defineCredentialType({
  type: 'caldav',
  title: 'CalDAV',
  description: 'A calendar server account, for Calendar event nodes.',
  fields: {
    serverUrl: field.url({
      label: 'Server URL',
      description: 'The CalDAV address your calendar app uses; the server root usually works.',
      placeholder: 'https://cloud.example.com/remote.php/dav/',
      required: true,
    }),
    username: field.text({ label: 'User name', required: true, maxLength: 1024 }),
    password: field.secret({ label: 'Password', description: 'Or an app password, where the service has them.' }),
  },
  async test(values, ctx) {
    const settings = caldavFromCredential(values);
    const fetch = fetchOver(async (call) => {
      const reply = await ctx.http({ ...call, method: call.method as 'PROPFIND' });
      return { ...reply, text: typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body) };
    });
    try {
      const calendars = await listCalendars(settings, fetch);
      const names = calendars.slice(0, 10).map((c) => `"${c.name}"`);
      const more = calendars.length > names.length ? ` and ${calendars.length - names.length} more` : '';
      return {
        ok: true,
        message: calendars.length
          ? `Logged in to ${new URL(values.serverUrl).origin} as ${values.username}: ${calendars.length} calendars (${names.join(', ')}${more}).`
          : `Logged in to ${new URL(values.serverUrl).origin} as ${values.username}, but the account has no calendar for events yet.`,
      };
    } catch (err) {
      return { ok: false, message: (err as Error).message };
    }
  },
});
