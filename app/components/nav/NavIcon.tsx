// The small line icons beside the items of the navigation menus; decorative, so hidden from screen readers.
import type { NavIconName } from './nav-items';

const PATHS: Record<NavIconName | 'chevron' | 'account' | 'sign-out' | 'menu', string> = {
  table: 'M2.5 3.5h11v9h-11zM2.5 6.5h11M2.5 9.5h11M6.5 6.5v6',
  model: 'M5 5h6v6H5zM7 2.5V5M9 2.5V5M7 11v2.5M9 11v2.5M2.5 7H5M2.5 9H5M11 7h2.5M11 9h2.5',
  agent: 'M4 6h8v6.5H4zM8 3.5V6M6.2 9h.1M9.7 9h.1M2.5 8.5v2M13.5 8.5v2M8 2.5h.01',
  key: 'M6 10a3 3 0 1 1 2.7-4.3H14V8h-1.5v1.5H11V8H8.7A3 3 0 0 1 6 10zM5 7h.01',
  members:
    'M6 7.5a2.2 2.2 0 1 0 0-4.4 2.2 2.2 0 0 0 0 4.4zM2 13c.4-2.3 2-3.5 4-3.5s3.6 1.2 4 3.5M10.5 3.3a2.2 2.2 0 0 1 0 4M11.5 9.7c1.3.4 2.2 1.5 2.5 3.3',
  audit: 'M4 2.5h6l2.5 2.5v8.5H4zM10 2.5V5h2.5M6 8h4.5M6 10.5h4.5',
  shield: 'M8 2l5 2v4c0 3-2.2 5-5 6-2.8-1-5-3-5-6V4zM6 8l1.5 1.5L10.5 6.5',
  chevron: 'M4 6l4 4 4-4',
  account: 'M8 8a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5zM3 13.5c.6-2.6 2.6-4 5-4s4.4 1.4 5 4',
  'sign-out': 'M6.5 2.5h-3v11h3M10 5l3 3-3 3M13 8H6.5',
  menu: 'M2.5 4h11M2.5 8h11M2.5 12h11',
};

export function NavIcon({ name, size = 16 }: { name: keyof typeof PATHS; size?: number }) {
  return (
    <svg
      className="nav-icon"
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
