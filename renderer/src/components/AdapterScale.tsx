/** How strongly a LoRA adapter is applied (0–2), local or on a server alike. */
export function AdapterScale({ value, label, onChange, className }: { value: number; label: string; onChange: (scale: number) => void; className?: string }) {
  return (
    <label className={className}>
      Scale {value.toFixed(2)}
      <input type="range" min={0} max={2} step={0.05} value={value} aria-label={label} onChange={(e) => onChange(Number(e.target.value))} />
    </label>
  );
}
