import { CONSENT_LABELS, CONSENT_TONES } from '@/features/contacts/utils/contacts';
import type { MarketingConsent } from '@/gql/graphql';

/** A contact's marketing consent as a badge (`data-marketing`). */
export function ConsentBadge({ consent, testId }: { consent: MarketingConsent; testId?: string }) {
  return (
    <span className={`badge badge-${CONSENT_TONES[consent]}`} data-testid={testId} data-marketing={consent}>
      {CONSENT_LABELS[consent]}
    </span>
  );
}

/** Tags as chips, each with `data-tag`; a dash when there are none. */
export function TagList({ tags, testId = 'contact-tag' }: { tags: readonly string[]; testId?: string }) {
  if (tags.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="label-chips label-chips-inline" aria-label="Tags">
      {tags.map((tag) => (
        <li key={tag} className="label-chip label-chip-sm" data-testid={testId} data-tag={tag}>
          {tag}
        </li>
      ))}
    </ul>
  );
}
