// A small ghost button holding one stroked 16×16 icon path (toolbar actions: undo, redo, delete).
interface Props {
  label: string;
  title: string;
  path: string;
  onClick(): void;
  disabled?: boolean;
  strokeWidth?: number;
}

export function IconButton({ label, title, path, onClick, disabled, strokeWidth = 1.6 }: Props) {
  return (
    <button
      className="btn ghost icon small"
      type="button"
      onClick={onClick}
      disabled={disabled}
      aria-label={label}
      title={title}
    >
      <svg
        width="14"
        height="14"
        viewBox="0 0 16 16"
        fill="none"
        stroke="currentColor"
        strokeWidth={strokeWidth}
        aria-hidden="true"
      >
        <path d={path} strokeLinecap="round" strokeLinejoin="round" />
      </svg>
    </button>
  );
}
