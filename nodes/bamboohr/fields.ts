// What a BambooHR step may send, checked before anything leaves the worker: employee IDs are BambooHR's numbers,
// field names are BambooHR's (firstName, workEmail, customShirtSize, or numeric field IDs), values are plain text,
// numbers or true/false without control characters, and dates and emails have their form. Problems are reported by
// the label of the node's field that holds the value.
import { isEmailAddress } from '../send-email/message';

export class BambooFieldError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'BambooFieldError';
  }
}

/** BambooHR reads at most 400 fields per request (Get Employee). */
export const MAX_FIELDS = 400;
const MAX_VALUE_CHARS = 4096;
const FIELD_NAME = /^[A-Za-z0-9][A-Za-z0-9_]{0,63}$/;
const ID = /^\d{1,12}$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

export type FieldValue = string | number | boolean | null;

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** An employee's internal ID (not the editable Employee #). */
export function employeeIdOf(value: unknown, label = 'Employee ID'): string {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (text === undefined || text === null || text === '') throw new BambooFieldError(label, 'is required');
  if (typeof text !== 'string' || !ID.test(text.trim())) {
    throw new BambooFieldError(label, `must be a BambooHR employee ID (digits, like 123), not ${describe(value)}`);
  }
  return text.trim();
}

/** A calendar day as YYYY-MM-DD. */
export function dayOf(value: unknown, label: string): string {
  if (value === undefined || value === null || value === '') throw new BambooFieldError(label, 'is required');
  const match = typeof value === 'string' ? DAY.exec(value.trim()) : null;
  const date = match ? new Date(Date.UTC(+match[1], +match[2] - 1, +match[3])) : undefined;
  if (!match || !date || date.getUTCMonth() !== +match[2] - 1 || date.getUTCDate() !== +match[3]) {
    throw new BambooFieldError(label, `must be a date as YYYY-MM-DD, like 2025-09-01, not ${describe(value)}`);
  }
  return match[0];
}

/** Field names from "firstName, lastName workEmail" or a list of them. */
export function fieldNamesOf(value: unknown, label: string): string[] {
  const names = (Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/) : [value])
    .map((name) => (typeof name === 'string' ? name.trim() : name))
    .filter((name) => name !== '');
  if (names.length === 0) throw new BambooFieldError(label, 'name at least one field, like firstName');
  if (names.length > MAX_FIELDS) {
    throw new BambooFieldError(label, `names ${names.length} fields; BambooHR returns up to ${MAX_FIELDS}`);
  }
  for (const name of names) {
    if (typeof name !== 'string' || !FIELD_NAME.test(name)) {
      throw new BambooFieldError(label, `${describe(name)} is not a BambooHR field name (like firstName or 4213)`);
    }
  }
  return [...new Set(names as string[])];
}

/** Field name → value, as BambooHR takes them; `required` names fields that must hold a value. */
export function employeeFieldsOf(
  value: unknown,
  label: string,
  required: readonly string[] = [],
): Record<string, FieldValue> {
  if (value === undefined || value === null || value === '') {
    if (required.length) throw new BambooFieldError(label, `${required.join(' and ')} are required`);
    throw new BambooFieldError(label, 'give at least one field and its value');
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new BambooFieldError(
      label,
      `must be field names and values, like { "firstName": "Ada" }, not ${describe(value)}`,
    );
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) throw new BambooFieldError(label, 'give at least one field and its value');
  if (entries.length > MAX_FIELDS)
    throw new BambooFieldError(label, `has ${entries.length} fields; the limit is ${MAX_FIELDS}`);
  const out: Record<string, FieldValue> = {};
  for (const [name, raw] of entries) {
    const where = `${label} (${name.slice(0, 64)})`;
    if (!FIELD_NAME.test(name))
      throw new BambooFieldError(where, 'is not a BambooHR field name (like firstName or 4213)');
    out[name] = fieldValue(where, name, raw);
  }
  for (const name of required) {
    if (out[name] === undefined || out[name] === null || String(out[name]).trim() === '') {
      throw new BambooFieldError(`${label} (${name})`, 'is required');
    }
  }
  return out;
}

function fieldValue(where: string, name: string, raw: unknown): FieldValue {
  if (raw === null || typeof raw === 'boolean') return raw;
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) throw new BambooFieldError(where, 'must be a finite number');
    return raw;
  }
  if (typeof raw !== 'string') {
    throw new BambooFieldError(where, `must be text, a number or true/false, not ${describe(raw)}`);
  }
  if (raw.length > MAX_VALUE_CHARS) {
    throw new BambooFieldError(where, `is ${raw.length} characters long; the limit is ${MAX_VALUE_CHARS}`);
  }
  if (CONTROL.test(raw)) throw new BambooFieldError(where, 'contains a control character');
  const text = raw.trim();
  if (text !== '' && /email$/i.test(name) && !isEmailAddress(text)) {
    throw new BambooFieldError(where, `${describe(raw)} is not an email address`);
  }
  if (text !== '' && (/Date$/.test(name) || name === 'dateOfBirth')) return dayOf(text, where);
  return text === raw ? raw : text;
}
