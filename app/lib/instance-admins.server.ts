// Who administers this Baton instance as a whole, above any workspace (docs/decisions/071): the instance owner (the
// user made at first-run setup, db/users role `owner`) and every user whose email BATON_INSTANCE_ADMINS lists.
// Marketplace moderation is theirs; workspace roles (contracts/permissions.ts) never grant it.
import type { User } from '../../db/users';

/** The emails BATON_INSTANCE_ADMINS lists (comma-separated), lower-cased. */
export function instanceAdminEmails(value = process.env.BATON_INSTANCE_ADMINS): Set<string> {
  return new Set(
    (value ?? '')
      .split(',')
      .map((email) => email.trim().toLowerCase())
      .filter(Boolean),
  );
}

export function isInstanceAdmin(user: Pick<User, 'email' | 'role'>): boolean {
  return user.role === 'owner' || instanceAdminEmails().has(user.email.toLowerCase());
}
