// One menu of the top navigation ("Build", "Settings"): a disclosure button and its panel of links, in sections.
// When the current page is one of its links, the closed button says which, so the active page stays visible. The
// links are in the page even while the panel is hidden, so the server-rendered page lists every page it may open.
import { useId } from 'react';
import { Link } from '@remix-run/react';
import { NavIcon } from './NavIcon';
import { currentInGroup, type NavGroup, type NavItem } from './nav-items';
import { useDisclosure } from './useDisclosure';

export function NavMenu({ group, current }: { group: NavGroup; current: string | undefined }) {
  const { open, rootProps, triggerProps, panelProps } = useDisclosure();
  const panelId = useId();
  const active = currentInGroup(group, current);
  return (
    <div className={`nav-menu${open ? ' open' : ''}`} data-menu={group.id} {...rootProps}>
      <button
        {...triggerProps}
        className={`nav-trigger${active ? ' current' : ''}`}
        aria-controls={panelId}
        aria-label={active ? `${group.label}, current page: ${active.label}` : undefined}
      >
        {group.label}
        {active && (
          <span className="nav-trigger-current" aria-hidden="true">
            {active.label}
          </span>
        )}
        <NavIcon name="chevron" size={12} />
      </button>
      <div id={panelId} className="nav-panel" {...panelProps}>
        {group.sections.map((section, s) => (
          <div className="nav-panel-section" key={section.label ?? s}>
            {section.label && (
              <div className="nav-panel-heading" id={`${panelId}-s${s}`}>
                {section.label}
              </div>
            )}
            <ul aria-labelledby={section.label ? `${panelId}-s${s}` : undefined}>
              {section.items.map((item, i) => (
                <li key={item.to}>
                  <MenuLink item={item} current={item.to === current} id={`${panelId}-s${s}-${i}`} />
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
    </div>
  );
}

/** A menu link named by its label alone (specs and screen readers find "Tables"), its description read after. */
function MenuLink({ item, current, id }: { item: NavItem; current: boolean; id: string }) {
  return (
    <Link
      to={item.to}
      className="nav-panel-link"
      aria-current={current ? 'page' : undefined}
      aria-labelledby={`${id}-label`}
      aria-describedby={item.description ? `${id}-desc` : undefined}
    >
      {item.icon && <NavIcon name={item.icon} />}
      <span className="nav-panel-text">
        <span id={`${id}-label`} className="nav-panel-label">
          {item.label}
        </span>
        {item.description && (
          <span id={`${id}-desc`} className="nav-panel-desc">
            {item.description}
          </span>
        )}
      </span>
    </Link>
  );
}
