import { todayIso } from '@huuco/domain';

/** A date that has already happened: harvests, lots, deliveries and inspections are recorded after the fact. */
export function PastDateField({
  label,
  value,
  onChange,
  min,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  min?: string;
}) {
  return (
    <label>
      {label}
      <input
        type="date"
        value={value}
        min={min}
        max={todayIso()}
        onChange={(e) => onChange(e.target.value)}
        required
      />
    </label>
  );
}
