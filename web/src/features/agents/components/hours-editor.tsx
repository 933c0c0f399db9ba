import { Button } from '@/components/ui/button';
import { PlusIcon, XIcon } from '@/components/ui/icons';
import { DAY_LABELS, DAYS, type Day, type HoursForm } from '@/features/agents/utils/form';
import { timeZoneNames } from '@/lib/time-zones';

/** Business hours: always open, or a time zone and intervals per day. */
export function HoursEditor({
  value,
  onChange,
  disabled,
  error,
}: {
  value: HoursForm;
  onChange: (value: HoursForm) => void;
  disabled: boolean;
  error: string | null;
}) {
  const setDay = (day: Day, intervals: HoursForm['days'][Day]) => onChange({ ...value, days: { ...value.days, [day]: intervals } });
  return (
    <fieldset className="agent-fieldset" data-testid="agent-hours" disabled={disabled}>
      <legend className="agent-legend">Business hours</legend>
      <label className="choice">
        <input
          type="checkbox"
          checked={value.alwaysOpen}
          onChange={(e) => onChange({ ...value, alwaysOpen: e.target.checked })}
          data-testid="agent-always-open"
        />{' '}
        Always open
      </label>
      {value.alwaysOpen ? null : (
        <>
          <div className="field">
            <label className="field-label" htmlFor="agent-time-zone">
              Time zone
            </label>
            <select
              id="agent-time-zone"
              className="select"
              value={value.timeZone}
              onChange={(e) => onChange({ ...value, timeZone: e.target.value })}
              data-testid="agent-time-zone"
            >
              {timeZoneNames(value.timeZone).map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
          </div>
          <table className="table table-compact hours-table">
            <caption className="visually-hidden">Opening intervals per day</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Open</th>
              </tr>
            </thead>
            <tbody>
              {DAYS.map((day) => {
                const intervals = value.days[day];
                return (
                  <tr key={day} data-testid="agent-hours-day" data-day={day}>
                    <th scope="row">{DAY_LABELS[day]}</th>
                    <td>
                      <div className="hours-intervals">
                        {intervals.length === 0 ? <span className="muted small">Closed</span> : null}
                        {intervals.map((interval, index) => (
                          <span key={index} className="hours-interval">
                            <input
                              type="time"
                              className="input input-sm"
                              value={interval.from}
                              aria-label={`${DAY_LABELS[day]} interval ${index + 1} opens`}
                              onChange={(e) => setDay(day, intervals.map((x, i) => (i === index ? { ...x, from: e.target.value } : x)))}
                            />
                            <span aria-hidden="true">–</span>
                            <input
                              type="time"
                              className="input input-sm"
                              value={interval.to}
                              aria-label={`${DAY_LABELS[day]} interval ${index + 1} closes`}
                              onChange={(e) => setDay(day, intervals.map((x, i) => (i === index ? { ...x, to: e.target.value } : x)))}
                            />
                            <button
                              type="button"
                              className="icon-button"
                              aria-label={`Remove ${DAY_LABELS[day]} interval ${index + 1}`}
                              onClick={() => setDay(day, intervals.filter((_, i) => i !== index))}
                            >
                              <XIcon width={14} height={14} />
                            </button>
                          </span>
                        ))}
                        <Button
                          size="sm"
                          variant="ghost"
                          icon={<PlusIcon width={14} height={14} />}
                          aria-label={`Add an interval on ${DAY_LABELS[day]}`}
                          onClick={() =>
                            setDay(day, [...intervals, intervals.length === 0 ? { from: '09:00', to: '18:00' } : { from: '19:00', to: '21:00' }])
                          }
                        >
                          Add
                        </Button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
      {error ? (
        <p className="field-error" data-testid="agent-hours-error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
