// Which navigation items each workspace role sees (from the real role table), that moderation is for instance admins
// only, that nothing a role may open is lost, and which item is the current page.
import { allows, ROLES, type Role } from '../../../contracts/permissions';
import { currentInGroup, currentItem, navAccessFor, navigationFor, type Navigation } from './nav-items';

const navFor = (role: Role, instanceAdmin = false) =>
  navigationFor(navAccessFor((permission) => allows(role, permission), instanceAdmin));

/** Every label a caller can reach, by where it sits: "bar" or the menu's label. */
function placed(navigation: Navigation): Record<string, string> {
  const where: Record<string, string> = {};
  for (const item of navigation.primary) where[item.label] = 'bar';
  for (const group of navigation.groups)
    for (const section of group.sections) for (const item of section.items) where[item.label] = group.label;
  return where;
}

test('an owner sees the primary pages in the bar, Build and Settings menus, and no Moderation', () => {
  expect(placed(navFor('owner'))).toEqual({
    Workflows: 'bar',
    Runs: 'bar',
    Inbox: 'bar',
    Templates: 'bar',
    Marketplace: 'bar',
    Tables: 'Build',
    Models: 'Build',
    Agents: 'Build',
    Credentials: 'Settings',
    Members: 'Settings',
    Audit: 'Settings',
  });
});

test('an instance admin finds Moderation under Settings, in a section of its own', () => {
  const settings = navFor('owner', true).groups.find((g) => g.id === 'settings');
  expect(settings?.sections.map((s) => [s.label, s.items.map((i) => i.to)])).toEqual([
    ['Workspace', ['/credentials', '/settings/members', '/audit']],
    ['Instance', ['/marketplace/moderation']],
  ]);
});

test('each role sees exactly the pages its permissions open', () => {
  const seen = Object.fromEntries(ROLES.map((role) => [role, Object.keys(placed(navFor(role))).sort()]));
  const common = ['Agents', 'Marketplace', 'Models', 'Runs', 'Tables', 'Templates', 'Workflows'];
  expect(seen).toEqual({
    owner: [...common, 'Audit', 'Credentials', 'Inbox', 'Members'].sort(),
    admin: [...common, 'Audit', 'Credentials', 'Inbox', 'Members'].sort(),
    editor: [...common, 'Credentials', 'Inbox'].sort(),
    operator: [...common, 'Inbox'].sort(),
    approver: [...common, 'Inbox'].sort(),
    viewer: common,
  });
});

test('a menu with nothing to offer is left out: a viewer has no Settings menu, unless an instance admin', () => {
  expect(navFor('viewer').groups.map((g) => g.id)).toEqual(['build']);
  const settings = navFor('viewer', true).groups.find((g) => g.id === 'settings');
  expect(settings?.sections.map((s) => s.label)).toEqual(['Instance']);
});

test('the current item is the most specific one the path falls under', () => {
  const nav = navFor('owner', true);
  expect(currentItem(nav, '/')).toBe('/');
  expect(currentItem(nav, '/runs/abc')).toBe('/runs');
  expect(currentItem(nav, '/marketplace')).toBe('/marketplace');
  expect(currentItem(nav, '/marketplace/listing-1')).toBe('/marketplace');
  expect(currentItem(nav, '/marketplace/moderation')).toBe('/marketplace/moderation');
  expect(currentItem(nav, '/tables/t1')).toBe('/tables');
  // Workflows is the list at `/` only; a prefix that merely shares letters is not a match.
  expect(currentItem(nav, '/workflows/w1/runs')).toBeUndefined();
  expect(currentItem(nav, '/tablesque')).toBeUndefined();
});

test('a menu names the current page when it holds it', () => {
  const nav = navFor('owner', true);
  const [build, settings] = nav.groups;
  expect(currentInGroup(build, currentItem(nav, '/models'))?.label).toBe('Models');
  expect(currentInGroup(settings, currentItem(nav, '/models'))).toBeUndefined();
  expect(currentInGroup(settings, currentItem(nav, '/marketplace/moderation'))?.label).toBe('Moderation');
});
