// What the app's top navigation holds for a caller (docs/decisions/074): the primary pages always in the bar, the
// rest in the "Build" and "Settings" menus, and which item is the current page. Pure, so the loader, the bar and
// the tests share one list.
import type { Permission } from '../../../contracts/permissions';

/** What the caller may open, decided on the server: workspace permissions, and instance admin for moderation. */
export interface NavAccess {
  inbox: boolean;
  credentials: boolean;
  members: boolean;
  audit: boolean;
  moderation: boolean;
}

export type NavIconName = 'table' | 'model' | 'agent' | 'key' | 'members' | 'audit' | 'shield';

export interface NavItem {
  to: string;
  label: string;
  /** Only this exact path makes the item current (the Workflows list at `/`). */
  end?: boolean;
  /** One line under the label in a menu. */
  description?: string;
  icon?: NavIconName;
  /** Rendered by InboxNavLink, which keeps the pending count live. */
  inbox?: boolean;
}

export interface NavSection {
  /** A heading over the section's items; none for a menu of one section. */
  label?: string;
  items: NavItem[];
}

export interface NavGroup {
  id: 'build' | 'settings';
  label: string;
  sections: NavSection[];
}

export interface Navigation {
  primary: NavItem[];
  groups: NavGroup[];
}

/** The access a caller with these grants has; `grants` is `can(caller, …)` on the server. */
export function navAccessFor(grants: (permission: Permission) => boolean, instanceAdmin: boolean): NavAccess {
  return {
    inbox: grants('approval.decide'),
    credentials: grants('credential.read'),
    members: grants('member.manage'),
    audit: grants('audit.read'),
    moderation: instanceAdmin,
  };
}

/** The items a caller sees; a menu or section with nothing in it is left out. */
export function navigationFor(access: NavAccess): Navigation {
  const primary: NavItem[] = [
    { to: '/', label: 'Workflows', end: true },
    { to: '/runs', label: 'Runs' },
    ...(access.inbox ? [{ to: '/inbox', label: 'Inbox', inbox: true }] : []),
    { to: '/templates', label: 'Templates' },
    { to: '/marketplace', label: 'Marketplace' },
  ];
  const build: NavSection = {
    items: [
      { to: '/tables', label: 'Tables', icon: 'table', description: 'Data your workflows read and write' },
      { to: '/models', label: 'Models', icon: 'model', description: 'Hosted and local language models' },
      { to: '/agents', label: 'Agents', icon: 'agent', description: 'Model and tool calls across runs' },
    ],
  };
  const workspace: NavSection = {
    label: 'Workspace',
    items: [
      ...(access.credentials
        ? [{ to: '/credentials', label: 'Credentials', icon: 'key' as const, description: 'Keys and logins nodes use' }]
        : []),
      ...(access.members
        ? [
            {
              to: '/settings/members',
              label: 'Members',
              icon: 'members' as const,
              description: 'People, roles, groups',
            },
          ]
        : []),
      ...(access.audit
        ? [{ to: '/audit', label: 'Audit', icon: 'audit' as const, description: 'Who changed what, and when' }]
        : []),
    ],
  };
  const instance: NavSection = {
    label: 'Instance',
    items: access.moderation
      ? [
          {
            to: '/marketplace/moderation',
            label: 'Moderation',
            icon: 'shield',
            description: 'Marketplace reports and listings',
          },
        ]
      : [],
  };
  const groups: NavGroup[] = [
    { id: 'build', label: 'Build', sections: [build] },
    { id: 'settings', label: 'Settings', sections: [workspace, instance].filter((s) => s.items.length > 0) },
  ];
  return { primary, groups: groups.filter((g) => g.sections.length > 0) };
}

function matches(item: NavItem, pathname: string): boolean {
  if (item.end || item.to === '/') return pathname === item.to;
  return pathname === item.to || pathname.startsWith(`${item.to}/`);
}

/**
 * The `to` of the current page's item: the most specific one the path falls under, so `/marketplace/moderation`
 * is Moderation, not Marketplace. Undefined on pages no item names (a workflow's runs, an approval).
 */
export function currentItem(navigation: Navigation, pathname: string): string | undefined {
  const all = [...navigation.primary, ...navigation.groups.flatMap((g) => g.sections.flatMap((s) => s.items))];
  return all
    .filter((item) => matches(item, pathname))
    .sort((a, b) => b.to.length - a.to.length)
    .at(0)?.to;
}

/** The item of `group` that is the current page, shown on the menu's button while the menu is closed. */
export function currentInGroup(group: NavGroup, current: string | undefined): NavItem | undefined {
  return group.sections.flatMap((s) => s.items).find((item) => item.to === current);
}
