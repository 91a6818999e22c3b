/** A busy indicator with words (screen readers hear the label; motion is reduced on request). */
export function Spinner({ label }: { label: string }) {
  return (
    <div className="spinner-box" role="status" data-testid="viewer-loading">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}
