import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link } from 'react-router';

import { Button } from '@/components/ui/button';
import { ErrorPanel, FormError, LoadingState } from '@/components/ui/feedback';
import { SearchIcon } from '@/components/ui/icons';
import type { ConversationSummary } from '@/features/inbox/hooks/use-conversation-list';
import type { InboxPhoneNumber } from '@/features/inbox/hooks/use-inbox-setup';
import {
  contactName,
  listTime,
  type InboxFilters,
  type InboxView,
  type StatusTab,
} from '@/features/inbox/utils/conversations';
import type { GraphqlErrorLike } from '@/lib/errors';
import { displayName } from '@/lib/format';

const VIEWS: readonly { view: InboxView; label: string }[] = [
  { view: 'all', label: 'All' },
  { view: 'mine', label: 'Mine' },
  { view: 'unassigned', label: 'Unassigned' },
  { view: 'unread', label: 'Unread' },
];

const STATUS_TABS: readonly { status: StatusTab; label: string }[] = [
  { status: 'OPEN', label: 'Open' },
  { status: 'PENDING', label: 'Pending' },
  { status: 'RESOLVED', label: 'Resolved' },
  { status: 'ALL', label: 'All' },
];

const SEARCH_DELAY_MS = 300;

function numberLabel(n: InboxPhoneNumber): string {
  return [n.verifiedName, n.displayPhoneNumber].filter(Boolean).join(' · ') || n.phoneNumberId;
}

/** The filters above the list; search waits for the typing to pause. */
function Filters({
  filters,
  phoneNumbers,
  onChange,
}: {
  filters: InboxFilters;
  phoneNumbers: readonly InboxPhoneNumber[];
  onChange: (filters: InboxFilters) => void;
}) {
  const [search, setSearch] = useState(filters.search);
  useEffect(() => {
    if (search === filters.search) return;
    const timer = window.setTimeout(() => onChange({ ...filters, search }), SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [search, filters, onChange]);

  return (
    <div className="inbox-filters">
      <label className="search-box">
        <SearchIcon width={16} height={16} />
        <input
          type="search"
          className="search-input"
          placeholder="Search name, number or text"
          aria-label="Search conversations"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="inbox-search"
        />
      </label>
      <div className="segmented segmented-sm" role="group" aria-label="Show">
        {VIEWS.map(({ view, label }) => (
          <button
            key={view}
            type="button"
            className={filters.view === view ? 'segment segment-active' : 'segment'}
            aria-pressed={filters.view === view}
            onClick={() => onChange({ ...filters, view })}
            data-testid={`inbox-filter-${view}`}
          >
            {label}
          </button>
        ))}
      </div>
      <div className="tabs" role="tablist" aria-label="Status">
        {STATUS_TABS.map(({ status, label }) => (
          <button
            key={status}
            type="button"
            role="tab"
            className={filters.status === status ? 'tab tab-active' : 'tab'}
            aria-selected={filters.status === status}
            onClick={() => onChange({ ...filters, status })}
            data-testid={`inbox-status-${status.toLowerCase()}`}
          >
            {label}
          </button>
        ))}
      </div>
      {phoneNumbers.length > 0 ? (
        <select
          className="select select-sm"
          aria-label="WhatsApp number"
          value={filters.phoneNumberId ?? ''}
          onChange={(e) => onChange({ ...filters, phoneNumberId: e.target.value || null })}
          data-testid="inbox-number-select"
        >
          <option value="">All numbers</option>
          {phoneNumbers.map((n) => (
            <option key={n.id} value={n.id}>
              {numberLabel(n)}
            </option>
          ))}
        </select>
      ) : null}
    </div>
  );
}

function ConversationRow({ conversation, active, to }: { conversation: ConversationSummary; active: boolean; to: string }) {
  const unread = conversation.unreadCount > 0;
  return (
    <li>
      <Link
        to={to}
        className={['conversation-row', active ? 'conversation-row-active' : '', unread ? 'conversation-row-unread' : '']
          .filter(Boolean)
          .join(' ')}
        aria-current={active ? 'true' : undefined}
        data-testid="conversation-row"
        data-conversation-id={conversation.id}
        data-status={conversation.status}
        data-unread={conversation.unreadCount}
        data-wa-id={conversation.contact.waId}
      >
        <span className="conversation-row-top">
          <span className="conversation-name" data-testid="conversation-name">
            {contactName(conversation.contact)}
          </span>
          <time className="conversation-time" dateTime={conversation.lastMessageAt ?? undefined} data-testid="conversation-time">
            {listTime(conversation.lastMessageAt)}
          </time>
        </span>
        <span className="conversation-row-bottom">
          <span className="conversation-preview" data-testid="conversation-preview">
            {conversation.lastMessagePreview ?? ''}
          </span>
          {unread ? (
            <span className="unread-badge" data-testid="conversation-unread" aria-label={`${conversation.unreadCount} unread`}>
              {conversation.unreadCount > 99 ? '99+' : conversation.unreadCount}
            </span>
          ) : null}
        </span>
        {conversation.handler === 'BOT' || conversation.assignee || conversation.labels.length > 0 ? (
          <span className="conversation-row-tags">
            {conversation.handler === 'BOT' ? (
              <span className="label-chip label-chip-sm conversation-bot" data-testid="conversation-bot">
                AI agent
              </span>
            ) : null}
            {conversation.assignee ? (
              <span className="conversation-assignee" data-testid="conversation-assignee">
                {displayName(conversation.assignee)}
              </span>
            ) : null}
            {conversation.labels.map((label) => (
              <span key={label} className="label-chip label-chip-sm" data-testid="conversation-label">
                {label}
              </span>
            ))}
          </span>
        ) : null}
      </Link>
    </li>
  );
}

/** "Load more" that also loads by itself when scrolled into view (the button stays for keyboards). */
function LoadMore({ onLoadMore, loading }: { onLoadMore: () => void; loading: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const latest = useRef({ onLoadMore, loading });
  useEffect(() => {
    latest.current = { onLoadMore, loading };
  });
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !latest.current.loading) latest.current.onLoadMore();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return (
    <div className="card-footer" ref={ref}>
      <Button size="sm" onClick={onLoadMore} busy={loading} data-testid="inbox-load-more">
        Load more
      </Button>
    </div>
  );
}

/** The inbox's left column: filters, conversation rows, and "Load more". */
export function ConversationList({
  base,
  filters,
  phoneNumbers,
  onFiltersChange,
  conversations,
  loading,
  error,
  onRetry,
  activeId,
  hasNextPage,
  loadingMore,
  moreError,
  onLoadMore,
  empty,
}: {
  base: string;
  filters: InboxFilters;
  phoneNumbers: readonly InboxPhoneNumber[];
  onFiltersChange: (filters: InboxFilters) => void;
  conversations: readonly ConversationSummary[] | null;
  loading: boolean;
  error: GraphqlErrorLike | null;
  onRetry: () => void;
  activeId: string | null;
  hasNextPage: boolean;
  loadingMore: boolean;
  moreError: GraphqlErrorLike | null;
  onLoadMore: () => void;
  /** What to show when nothing matches. */
  empty: ReactNode;
}) {
  let body;
  if (conversations == null) {
    body = error ? <ErrorPanel error={error} onRetry={onRetry} /> : <LoadingState />;
  } else if (conversations.length === 0) {
    body = empty;
  } else {
    body = (
      <ul className="conversation-list" data-testid="conversation-list" aria-busy={loading || undefined}>
        {conversations.map((c) => (
          <ConversationRow key={c.id} conversation={c} active={c.id === activeId} to={`${base}/${encodeURIComponent(c.id)}`} />
        ))}
      </ul>
    );
  }
  return (
    <section className="inbox-list" aria-label="Conversations">
      <Filters filters={filters} phoneNumbers={phoneNumbers} onChange={onFiltersChange} />
      <div className="inbox-list-scroll">
        {body}
        <FormError error={moreError} testId="inbox-load-more-error" />
        {conversations && conversations.length > 0 && hasNextPage && !moreError ? (
          <LoadMore onLoadMore={onLoadMore} loading={loadingMore} />
        ) : null}
        {conversations && hasNextPage && moreError ? (
          <div className="card-footer">
            <Button size="sm" onClick={onLoadMore} data-testid="inbox-load-more">
              Try again
            </Button>
          </div>
        ) : null}
      </div>
    </section>
  );
}
