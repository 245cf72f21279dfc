// Named groups of a workspace ("HR directors", "IT"): what approvals and notifications target. The JSON API and
// the Members page both call these, so the checks (members only, unique slug) and the audit entries live once.
import { z } from 'zod';
import { recordAudit } from '../../db/audit';
import {
  addGroupMember,
  deleteGroup,
  getGroup,
  listMembers,
  removeGroupMember,
  saveGroup,
  type Group,
} from '../../db/workspaces';
import { apiError } from './http.server';
import type { Acting } from './members.server';

export const GROUP_SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

const slugSchema = z
  .string()
  .trim()
  .regex(GROUP_SLUG, 'use 1–63 lower-case letters, digits and dashes, starting with a letter or digit');

export const groupSchema = z.object({
  slug: slugSchema.optional(),
  name: z.string().trim().min(1, 'is required').max(100),
  userIds: z.array(z.string().max(100)).max(1000).default([]),
});

export const groupUpdateSchema = groupSchema.omit({ slug: true });

/** A slug from a name: `HR directors` → `hr-directors`. */
export function slugFrom(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
  return slug || 'group';
}

const actorOf = ({ caller }: Acting) => ({ id: caller.user.id, name: caller.user.name, via: caller.via });

/** 400 naming the entry of `userIds` that is not a member of the workspace. */
async function checkMembers(acting: Acting, userIds: string[]): Promise<string[]> {
  const members = new Set((await listMembers(acting.caller.scope)).map((m) => m.userId));
  const unique = [...new Set(userIds)];
  const stranger = unique.findIndex((id) => !members.has(id));
  if (stranger >= 0)
    throw apiError(400, `Invalid request: userIds.${stranger}: ${unique[stranger]} is not a member of this workspace.`);
  return unique;
}

async function audited(acting: Acting, group: Group, change: Record<string, unknown>): Promise<Group> {
  await recordAudit({
    workspaceId: acting.caller.scope.workspaceId,
    actor: actorOf(acting),
    action: 'group.save',
    target: { kind: 'group', id: group.slug, name: group.name },
    ip: acting.ip,
    change,
  });
  return group;
}

export async function createGroup(acting: Acting, input: z.output<typeof groupSchema>): Promise<Group> {
  const slug = input.slug ?? slugFrom(input.name);
  if (await getGroup(acting.caller.scope, slug))
    throw apiError(409, `slug: a group "${slug}" already exists in this workspace; choose another slug.`);
  const userIds = await checkMembers(acting, input.userIds);
  const group = await saveGroup(acting.caller.scope, { slug, name: input.name, userIds });
  return audited(acting, group, { created: true, name: group.name, userIds });
}

async function existingGroup(acting: Acting, slug: string): Promise<Group> {
  const group = await getGroup(acting.caller.scope, slug);
  if (!group) throw apiError(404, `No group "${slug}" in this workspace.`);
  return group;
}

export async function updateGroup(
  acting: Acting,
  slug: string,
  input: z.output<typeof groupUpdateSchema>,
): Promise<Group> {
  const before = await existingGroup(acting, slug);
  const userIds = await checkMembers(acting, input.userIds);
  const group = await saveGroup(acting.caller.scope, { slug, name: input.name, userIds });
  return audited(acting, group, {
    ...(before.name !== group.name ? { name: { from: before.name, to: group.name } } : {}),
    added: userIds.filter((id) => !before.userIds.includes(id)),
    removed: before.userIds.filter((id) => !userIds.includes(id)),
  });
}

export async function addToGroup(acting: Acting, slug: string, userId: string): Promise<Group> {
  await existingGroup(acting, slug);
  await checkMembers(acting, [userId]);
  await addGroupMember(acting.caller.scope, slug, userId);
  return audited(acting, await existingGroup(acting, slug), { added: [userId] });
}

export async function removeFromGroup(acting: Acting, slug: string, userId: string): Promise<Group> {
  const before = await existingGroup(acting, slug);
  if (!before.userIds.includes(userId)) throw apiError(404, `${userId} is not in the group "${slug}".`);
  await removeGroupMember(acting.caller.scope, slug, userId);
  return audited(acting, await existingGroup(acting, slug), { removed: [userId] });
}

export async function removeGroup(acting: Acting, slug: string): Promise<void> {
  const group = await existingGroup(acting, slug);
  await deleteGroup(acting.caller.scope, slug);
  await recordAudit({
    workspaceId: acting.caller.scope.workspaceId,
    actor: actorOf(acting),
    action: 'group.delete',
    target: { kind: 'group', id: slug, name: group.name },
    ip: acting.ip,
    change: { userIds: group.userIds },
  });
}
