export function BrandMark({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="8" fill="#5b5bd6" />
      <path d="M9 23 23 9" stroke="#fff" strokeWidth="3.2" strokeLinecap="round" />
      <circle cx="9" cy="23" r="3.2" fill="#fff" />
      <circle cx="23" cy="9" r="2.4" fill="#c7c7ff" />
    </svg>
  );
}
