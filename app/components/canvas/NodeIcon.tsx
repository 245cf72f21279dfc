// Node icons: a spec's `icon` is either an emoji/short glyph or a name from this small built-in set.
import type { NodeSpec } from '../../../nodes/define';

const PATHS: Record<string, string> = {
  play: 'M5 3.5v9l7.5-4.5z',
  webhook: 'M6 10a3 3 0 1 1 2.6-4.5M10 6a3 3 0 1 1 0 6H8M4.5 13.5 7 9',
  globe:
    'M8 2a6 6 0 1 0 0 12A6 6 0 0 0 8 2zM2 8h12M8 2c1.8 1.6 2.6 3.7 2.6 6S9.8 12.4 8 14M8 2C6.2 3.6 5.4 5.7 5.4 8s.8 4.4 2.6 6',
  http: 'M8 2a6 6 0 1 0 0 12A6 6 0 0 0 8 2zM2 8h12M8 2c1.8 1.6 2.6 3.7 2.6 6S9.8 12.4 8 14M8 2C6.2 3.6 5.4 5.7 5.4 8s.8 4.4 2.6 6',
  code: 'M5.5 4.5 2 8l3.5 3.5M10.5 4.5 14 8l-3.5 3.5',
  edit: 'M3 13h3l7-7-3-3-7 7zM9 4l3 3',
  pencil: 'M3 13h3l7-7-3-3-7 7zM9 4l3 3',
  set: 'M3 4h10M3 8h10M3 12h6',
  branch: 'M4 2v5a3 3 0 0 0 3 3h5M12 10l-2-2M12 10l-2 2M4 2v12',
  split: 'M4 2v5a3 3 0 0 0 3 3h5M12 10l-2-2M12 10l-2 2M4 2v12',
  switch: 'M2 8h4M6 8l3-5h5M6 8h8M6 8l3 5h5',
  loop: 'M12.5 6A5 5 0 1 0 13 9M13 3v3h-3',
  repeat: 'M3 6a4 4 0 0 1 4-3h4l-1.5-1.5M13 10a4 4 0 0 1-4 3H5l1.5 1.5',
  hourglass: 'M4 2h8M4 14h8M5 2c0 3 6 4 6 6s-6 3-6 6M11 2c0 3-6 4-6 6s6 3 6 6',
  workflow: 'M2 3h4v3H2zM10 10h4v3h-4zM4 6v3a2 2 0 0 0 2 2h4',
  calendar: 'M2.5 3.5h11v10h-11zM2.5 6.5h11M5 2v3M11 2v3',
  merge: 'M4 2v3a3 3 0 0 0 3 3h2a3 3 0 0 1 3 3v3M12 2v3a3 3 0 0 1-3 3',
  clock: 'M8 2a6 6 0 1 0 0 12A6 6 0 0 0 8 2zM8 5v3l2 2',
  timer: 'M8 3a5.5 5.5 0 1 0 0 11A5.5 5.5 0 0 0 8 3zM8 6v3M6.5 1.5h3',
  filter: 'M2.5 3h11l-4.5 5.5V13l-2-1V8.5z',
  stop: 'M5.5 2h5L14 5.5v5L10.5 14h-5L2 10.5v-5zM8 5v3.5M8 11h.01',
  lock: 'M4 7h8v7H4zM5.5 7V5a2.5 2.5 0 0 1 5 0v2M8 10v1.5',
  ai: 'M8 1.5 9.6 6.4 14.5 8 9.6 9.6 8 14.5 6.4 9.6 1.5 8l4.9-1.6z',
  sparkles: 'M8 1.5 9.6 6.4 14.5 8 9.6 9.6 8 14.5 6.4 9.6 1.5 8l4.9-1.6z',
  user: 'M8 8a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM2.5 14c.6-2.8 2.8-4.3 5.5-4.3s4.9 1.5 5.5 4.3',
  mail: 'M2 4h12v8H2zM2 4l6 5 6-5',
  form: 'M3.5 2h9v12h-9zM5.5 5h5M5.5 8h5M5.5 11h2.5',
  chat: 'M2.5 3h11v7.5H7.5L4.5 13v-2.5h-2zM5 6h6M5 8h4',
  browser: 'M2 3h12v10H2zM2 6h12M4 4.5h.01M5.5 4.5h.01',
  document: 'M4 1.5h5.5L12.5 4.5V14.5H4zM9.5 1.5v3h3M6 8h4.5M6 10.5h4.5M6 13h3',
  pdf: 'M4 1.5h5.5L12.5 4.5V14.5H4zM9.5 1.5v3h3M5.5 12.5V9h1.3a1.1 1.1 0 0 1 0 2.2H5.5',
  sheet: 'M2.5 2.5h11v11h-11zM2.5 6h11M2.5 9.5h11M6.5 2.5v11',
  database:
    'M3 4c0-1.1 2.2-2 5-2s5 .9 5 2-2.2 2-5 2-5-.9-5-2zM3 4v8c0 1.1 2.2 2 5 2s5-.9 5-2V4M3 8c0 1.1 2.2 2 5 2s5-.9 5-2',
};

const CATEGORY_FALLBACK: Record<NodeSpec['category'], string> = {
  trigger: 'play',
  core: 'code',
  flow: 'branch',
  integration: 'globe',
  ai: 'ai',
  human: 'user',
  browser: 'browser',
};

export function NodeIcon({
  icon,
  category,
  size = 16,
}: {
  icon?: string;
  category?: NodeSpec['category'];
  size?: number;
}) {
  const key = (icon ?? '').toLowerCase().replace(/^lucide:|^icon:/, '');
  const path = PATHS[key];
  if (!path && icon && !/^[a-z0-9:-]+$/i.test(icon)) {
    return (
      <span className="node-glyph" style={{ fontSize: size - 1 }} aria-hidden="true">
        {icon}
      </span>
    );
  }
  const d = path ?? PATHS[CATEGORY_FALLBACK[category ?? 'core']];
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <path d={d} />
    </svg>
  );
}
