import { useEffect, useState } from 'react';
import { Link } from 'react-router';

import { Button, ButtonLink } from '@/components/ui/button';
import { ErrorPanel, FormError, LoadingState } from '@/components/ui/feedback';
import { ContactsIcon, SearchIcon, UploadIcon } from '@/components/ui/icons';
import { Card, EmptyState, PageHeader } from '@/components/ui/layout';
import { ConsentBadge, TagList } from '@/features/contacts/components/contact-bits';
import { useContacts, type ContactListItem } from '@/features/contacts/hooks/use-contacts';
import {
  CONSENT_LABELS,
  formatPhone,
  hasFilters,
  NO_FILTERS,
  type ContactFilters,
} from '@/features/contacts/utils/contacts';
import type { MarketingConsent } from '@/gql/graphql';
import { formatDateTime } from '@/lib/format';
import { useCurrentOrganization } from '@/lib/organization-context';
import { isAdminOrOwner } from '@/lib/roles';

/** How long typing may pause before the list is filtered again. */
const FILTER_DELAY_MS = 300;

const CONSENTS: readonly MarketingConsent[] = ['OPTED_IN', 'OPTED_OUT', 'UNKNOWN'];

/** The search box and filters; typed filters apply when typing pauses. */
function Filters({ filters, onChange }: { filters: ContactFilters; onChange: (filters: ContactFilters) => void }) {
  const [draft, setDraft] = useState(filters);
  useEffect(() => {
    if (JSON.stringify(draft) === JSON.stringify(filters)) return;
    const timer = window.setTimeout(() => onChange(draft), FILTER_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [draft, filters, onChange]);

  return (
    <div className="contact-filters" role="search" aria-label="Filter contacts">
      <label className="search-box contact-search">
        <SearchIcon width={16} height={16} />
        <input
          type="search"
          className="search-input"
          placeholder="Search name, number or e-mail"
          aria-label="Search contacts"
          value={draft.search}
          onChange={(e) => setDraft({ ...draft, search: e.target.value })}
          data-testid="contacts-search"
        />
      </label>
      <div className="field field-compact">
        <label className="field-label" htmlFor="contacts-filter-marketing">
          Marketing consent
        </label>
        <select
          id="contacts-filter-marketing"
          className="select select-sm"
          value={draft.marketing}
          // A choice applies at once; only typing waits.
          onChange={(e) => {
            const next = { ...draft, marketing: e.target.value as MarketingConsent | '' };
            setDraft(next);
            onChange(next);
          }}
          data-testid="contacts-filter-marketing"
        >
          <option value="">Any</option>
          {CONSENTS.map((consent) => (
            <option key={consent} value={consent}>
              {CONSENT_LABELS[consent]}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-compact">
        <label className="field-label" htmlFor="contacts-filter-tag">
          Tag
        </label>
        <input
          id="contacts-filter-tag"
          className="input input-sm input-narrow"
          value={draft.tag}
          placeholder="e.g. vip"
          onChange={(e) => setDraft({ ...draft, tag: e.target.value })}
          data-testid="contacts-filter-tag"
        />
      </div>
      <div className="field field-compact">
        <label className="field-label" htmlFor="contacts-filter-country">
          Country
        </label>
        <input
          id="contacts-filter-country"
          className="input input-sm input-tiny"
          value={draft.country}
          placeholder="e.g. BR"
          maxLength={2}
          autoCapitalize="characters"
          onChange={(e) => setDraft({ ...draft, country: e.target.value })}
          data-testid="contacts-filter-country"
        />
      </div>
      {hasFilters(draft) ? (
        <Button
          size="sm"
          variant="ghost"
          onClick={() => {
            setDraft(NO_FILTERS);
            onChange(NO_FILTERS);
          }}
          data-testid="contacts-clear-filters"
        >
          Clear filters
        </Button>
      ) : null}
    </div>
  );
}

function ContactsTable({ contacts, base }: { contacts: readonly ContactListItem[]; base: string }) {
  return (
    <div className="table-wrap">
      <table className="table table-compact" data-testid="contacts-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Phone</th>
            <th scope="col">Country</th>
            <th scope="col">Tags</th>
            <th scope="col">Marketing consent</th>
            <th scope="col">Last message from them</th>
          </tr>
        </thead>
        <tbody>
          {contacts.map((contact) => (
            <tr
              key={contact.id}
              data-testid="contact-row"
              data-contact-id={contact.id}
              data-phone={contact.phone ?? ''}
              data-marketing={contact.marketing}
            >
              <td>
                <Link
                  className="contact-link"
                  to={`${base}/${encodeURIComponent(contact.id)}`}
                  data-testid="contact-row-name"
                >
                  {contact.displayName?.trim() || formatPhone(contact.phone ?? contact.waId)}
                </Link>
                {contact.name && contact.profileName && contact.profileName !== contact.name ? (
                  <span className="muted small block">on WhatsApp: {contact.profileName}</span>
                ) : null}
              </td>
              <td className="mono nowrap" data-testid="contact-row-phone">
                {formatPhone(contact.phone)}
              </td>
              <td data-testid="contact-row-country">{contact.country ?? '—'}</td>
              <td data-testid="contact-row-tags">
                <TagList tags={contact.tags} />
              </td>
              <td>
                <ConsentBadge consent={contact.marketing} testId="contact-row-marketing" />
              </td>
              <td className="nowrap">{formatDateTime(contact.lastInboundAt, 'Never')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** `/orgs/:orgId/contacts`: everyone; Admins also import. */
export function ContactsPage() {
  const { organization } = useCurrentOrganization();
  const admin = isAdminOrOwner(organization.viewerRole);
  const base = `/orgs/${encodeURIComponent(organization.id)}/contacts`;
  const [filters, setFilters] = useState<ContactFilters>(NO_FILTERS);
  const list = useContacts(organization.id, filters);
  const filtered = hasFilters(filters);
  const shown = list.contacts ?? list.previous;

  const fieldsButton = admin ? (
    <ButtonLink to={`${base}/fields`} data-testid="contacts-fields">
      Contact fields
    </ButtonLink>
  ) : null;

  const importButton = admin ? (
    <ButtonLink
      to={`${base}/import`}
      variant="primary"
      icon={<UploadIcon width={16} height={16} />}
      data-testid="contacts-import"
    >
      Import contacts
    </ButtonLink>
  ) : null;

  let body;
  if (!shown && list.error) body = <ErrorPanel error={list.error} onRetry={list.reload} />;
  else if (!shown) body = <LoadingState />;
  else if (shown.length === 0 && filtered) {
    body = (
      <EmptyState title="No contacts match these filters" testId="contacts-no-matches">
        <p>Try another search, or clear the filters.</p>
      </EmptyState>
    );
  } else if (shown.length === 0) {
    body = (
      <EmptyState
        icon={<ContactsIcon width={28} height={28} />}
        title="No contacts yet"
        testId="contacts-empty"
        action={importButton}
      >
        <p>Customers who write to your WhatsApp number become contacts on their own.</p>
        {admin ? (
          <p>To bring in the customers you already have, import a CSV or Excel file.</p>
        ) : (
          <p>An Admin or Owner of this organization can import a contact list.</p>
        )}
      </EmptyState>
    );
  } else {
    body = (
      <div aria-busy={list.loading} className={list.loading ? 'is-stale' : undefined}>
        <ContactsTable contacts={shown} base={base} />
      </div>
    );
  }

  return (
    <div className="page">
      <PageHeader
        title="Contacts"
        description="Everyone your business talks to on WhatsApp, with their tags and marketing consent."
        actions={
          admin ? (
            <>
              {fieldsButton}
              {importButton}
            </>
          ) : null
        }
      />
      <Card testId="contacts-card">
        <Filters filters={filters} onChange={setFilters} />
        {body}
        <FormError error={list.moreError} testId="contacts-load-more-error" />
        {list.contacts && list.hasNextPage ? (
          <div className="card-footer">
            <Button onClick={() => void list.loadMore()} busy={list.loadingMore} data-testid="contacts-load-more">
              Load more
            </Button>
          </div>
        ) : null}
      </Card>
    </div>
  );
}
