// The banner a list page's ErrorBoundary shows when its loader failed: what could not load, why, and a reload.
export function PageLoadError({ what, message }: { what: string; message: string }) {
  return (
    <div className="banner error" role="alert">
      Could not load {what}. {message}
      <button className="btn small" type="button" onClick={() => window.location.reload()}>
        Try again
      </button>
    </div>
  );
}
