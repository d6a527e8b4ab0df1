// A number of days typed freely: the box holds what is typed (it can be cleared, "45" stays 45),
// the value is taken half a second after typing stops and only when it is a whole number in range,
// and a value out of range says so beside the box while the page keeps its last good answer.
import { useEffect, useId, useState } from 'react';

export function DaysInput({
  label,
  value,
  min,
  max,
  onChange,
}: {
  label: string;
  value: number;
  min: number;
  max: number;
  onChange: (days: number) => void;
}) {
  const [draft, setDraft] = useState(String(value));
  const id = useId();
  // A new value from outside (Back, a shared link) replaces the draft.
  useEffect(() => setDraft(String(value)), [value]);
  const parsed = Number(draft);
  const valid = /^\d+$/.test(draft.trim()) && parsed >= min && parsed <= max;
  useEffect(() => {
    if (!valid || parsed === value) return;
    const timer = setTimeout(() => onChange(parsed), 500);
    return () => clearTimeout(timer);
  }, [valid, parsed, value, onChange]);
  return (
    <label>
      {label}{' '}
      <input
        type="text"
        inputMode="numeric"
        size={4}
        value={draft}
        aria-invalid={!valid}
        aria-describedby={valid ? undefined : `${id}-why`}
        onChange={(e) => setDraft(e.target.value)}
      />
      {!valid && (
        <span id={`${id}-why`} className="field-error" role="status">
          {' '}
          a whole number of days from {min} to {max}
        </span>
      )}
    </label>
  );
}
