// Reads the events of an iCalendar object a CalDAV server returned: the properties of each VEVENT (not of its
// alarms), with folded lines joined and TEXT escapes undone (RFC 5545 §3.1, §3.3.11). Enough to report an event and
// to find its SEQUENCE; it does not expand recurrences or read VTIMEZONE rules.
import { DAY, instantAt } from '../date-time/zone';

export interface IcsProperty {
  name: string;
  /** Parameter names upper-cased, quotes removed. */
  params: Record<string, string>;
  value: string;
}

function parseLine(line: string): IcsProperty | undefined {
  let quoted = false;
  let colon = -1;
  for (let i = 0; i < line.length && colon < 0; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if (line[i] === ':' && !quoted) colon = i;
  }
  if (colon < 0) return undefined;
  const [name, ...rawParams] = line.slice(0, colon).match(/(?:[^;"]|"[^"]*")+/g) ?? [];
  if (!name) return undefined;
  const params: Record<string, string> = {};
  for (const param of rawParams) {
    const eq = param.indexOf('=');
    if (eq > 0) params[param.slice(0, eq).toUpperCase()] = param.slice(eq + 1).replace(/^"(.*)"$/, '$1');
  }
  return { name: name.toUpperCase(), params, value: line.slice(colon + 1) };
}

/** The properties of each VEVENT in `ics`, in order. */
export function readEvents(ics: string): IcsProperty[][] {
  const lines = ics.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  const events: IcsProperty[][] = [];
  const open: string[] = [];
  for (const line of lines) {
    const property = parseLine(line);
    if (!property) continue;
    if (property.name === 'BEGIN') {
      open.push(property.value.toUpperCase());
      if (property.value.toUpperCase() === 'VEVENT') events.push([]);
    } else if (property.name === 'END') {
      open.pop();
    } else if (open.at(-1) === 'VEVENT') {
      events.at(-1)!.push(property);
    }
  }
  return events;
}

export function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

export const property = (event: IcsProperty[], name: string) => event.find((p) => p.name === name);

export function textOf(event: IcsProperty[], name: string): string | undefined {
  const found = property(event, name);
  return found ? unescapeText(found.value) : undefined;
}

/**
 * A DATE-TIME or DATE value as the step reports times: an ISO instant (UTC, or a wall time in the IANA zone its
 * TZID names), or `YYYY-MM-DD` for a date. Zones Intl does not know are reported as wall time with the zone's name.
 */
export function timeOf(found: IcsProperty | undefined): { time?: string; allDay: boolean; zone?: string } {
  const m = found && /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(found.value.trim());
  if (!found || !m) return { time: found?.value, allDay: false };
  const [, y, mo, d, h, mi, s, utc] = m;
  if (h === undefined) return { time: `${y}-${mo}-${d}`, allDay: true };
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const zone = found.params.TZID;
  if (utc || !zone) return { time: new Date(wall).toISOString(), allDay: false };
  try {
    return { time: new Date(instantAt(wall, zone)).toISOString(), allDay: false, zone };
  } catch {
    return { time: `${y}-${mo}-${d}T${h}:${mi}:${s}`, allDay: false, zone };
  }
}

/** The last day of an all-day event whose exclusive end is `end` (`YYYY-MM-DD`). */
export function lastDay(end: string): string {
  return new Date(Date.parse(`${end}T00:00:00Z`) - DAY).toISOString().slice(0, 10);
}
