import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { useMutation } from 'urql';

import { Button, ButtonLink } from '@/components/ui/button';
import { ErrorPanel, LoadingState } from '@/components/ui/feedback';
import { ChatIcon, InboxIcon, SearchIcon } from '@/components/ui/icons';
import { EmptyState } from '@/components/ui/layout';
import { useRuntimeConfig } from '@/config/runtime-config-context';
import { MarkConversationReadDocument } from '@/features/inbox/api/inbox';
import { CannedResponsesDialog } from '@/features/inbox/components/canned-responses-dialog';
import { ContactPanel } from '@/features/inbox/components/contact-panel';
import { ConversationList } from '@/features/inbox/components/conversation-list';
import { ConversationThread, ThreadPlaceholder } from '@/features/inbox/components/conversation-thread';
import { useConversationList } from '@/features/inbox/hooks/use-conversation-list';
import { useConversationThread } from '@/features/inbox/hooks/use-conversation-thread';
import { useInboxEvents } from '@/features/inbox/hooks/use-inbox-events';
import { useInboxSetup, type InboxPhoneNumber } from '@/features/inbox/hooks/use-inbox-setup';
import { DEFAULT_FILTERS, type InboxFilters } from '@/features/inbox/utils/conversations';
import { useCurrentOrganization } from '@/lib/organization-context';
import { isAdminOrOwner } from '@/lib/roles';
import { useViewer } from '@/lib/viewer';

/** Whether the tab is in front: messages are only marked read when someone can see them. */
function useDocumentVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState !== 'hidden');
  useEffect(() => {
    const onChange = () => setVisible(document.visibilityState !== 'hidden');
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);
  return visible;
}

function sameFilters(a: InboxFilters, b: InboxFilters): boolean {
  return a.view === b.view && a.status === b.status && a.phoneNumberId === b.phoneNumberId && a.search.trim() === b.search.trim();
}

/** How customers reach the business, shown while the inbox is empty. */
function NoConversations({ phoneNumbers, sandbox }: { phoneNumbers: readonly InboxPhoneNumber[]; sandbox: boolean }) {
  const first = phoneNumbers[0];
  const digits = first?.displayPhoneNumber?.replace(/\D/g, '') ?? '';
  return (
    <EmptyState icon={<ChatIcon width={28} height={28} />} title="No conversations yet" testId="inbox-empty">
      <p>
        A conversation starts when a customer writes to{' '}
        {first?.displayPhoneNumber ? <strong>{first.displayPhoneNumber}</strong> : 'your WhatsApp number'} on WhatsApp
        {digits ? (
          <>
            {' '}
            — share <code>https://wa.me/{digits}</code> on your site, receipts or ads
          </>
        ) : null}
        .
      </p>
      {sandbox ? (
        <p data-testid="inbox-empty-sandbox">
          This server runs the WhatsApp sandbox: open the customer phone (the phone button in the top bar) to write in
          as a customer.
        </p>
      ) : null}
    </EmptyState>
  );
}

/** `/orgs/:orgId/inbox` and `/orgs/:orgId/inbox/:conversationId`. */
export function InboxPage() {
  const { organization } = useCurrentOrganization();
  const { conversationId = null } = useParams();
  const { viewer } = useViewer();
  const { whatsapp } = useRuntimeConfig();
  const viewerId = viewer?.user?.id ?? null;
  const base = `/orgs/${encodeURIComponent(organization.id)}/inbox`;
  const visible = useDocumentVisible();

  const setup = useInboxSetup(organization.id);
  const [filters, setFilters] = useState<InboxFilters>(DEFAULT_FILTERS);
  const onFiltersChange = useCallback((next: InboxFilters) => setFilters(next), []);
  const list = useConversationList(organization.id, filters, viewerId, conversationId);
  const thread = useConversationThread(organization.id, conversationId);
  const [cannedOpen, setCannedOpen] = useState(false);
  const [detailsOpen, setDetailsOpen] = useState(false);
  const [, markRead] = useMutation(MarkConversationReadDocument);

  const { apply, reload: reloadList } = list;
  const { applyEvent, reload: reloadThread, setConversation, setHandling } = thread;

  useInboxEvents(organization.id, (event) => {
    if (event.kind === 'RESYNC') {
      reloadList();
      reloadThread();
      return;
    }
    if (event.conversation) apply(event.conversation);
    applyEvent(event);
  });

  // Opening a conversation with unread messages (or one arriving while it is open) reads them.
  const open = thread.conversation;
  const unread = open?.unreadCount ?? 0;
  const openId = open?.id ?? null;
  useEffect(() => {
    if (!openId || unread === 0 || !visible) return;
    const timer = window.setTimeout(() => {
      void markRead({ input: { organizationId: organization.id, conversationId: openId } }).then((result) => {
        const conversation = result.data?.markConversationRead;
        if (!conversation) return;
        apply(conversation);
        setConversation(conversation);
      });
    }, 250);
    return () => window.clearTimeout(timer);
  }, [openId, unread, visible, markRead, organization.id, apply, setConversation]);

  if (setup.phoneNumbers == null) {
    return (
      <div className="page">
        {setup.error ? <ErrorPanel error={setup.error} onRetry={setup.refresh} /> : <LoadingState />}
      </div>
    );
  }

  const header = (
    <header className="inbox-header">
      <h1 className="page-title" data-testid="page-title">
        Inbox
      </h1>
      <Button size="sm" variant="ghost" onClick={() => setCannedOpen(true)} data-testid="canned-responses-open">
        Canned responses
      </Button>
    </header>
  );

  const connected = setup.phoneNumbers.filter((n) => !n.disconnectedAt);
  if (connected.length === 0 && list.conversations?.length === 0 && sameFilters(filters, DEFAULT_FILTERS)) {
    return (
      <div className="page">
        {header}
        <EmptyState
          icon={<InboxIcon width={28} height={28} />}
          title="Connect a WhatsApp number"
          testId="inbox-no-number"
          action={
            <ButtonLink to={`/orgs/${encodeURIComponent(organization.id)}/whatsapp`} variant="primary" data-testid="inbox-connect-number">
              Connect a WhatsApp number
            </ButtonLink>
          }
        >
          <p>Messages from your customers arrive here once a WhatsApp Business number is connected.</p>
        </EmptyState>
      </div>
    );
  }

  const empty = sameFilters(filters, DEFAULT_FILTERS) ? (
    <NoConversations phoneNumbers={connected} sandbox={whatsapp.sandbox} />
  ) : (
    <EmptyState icon={<SearchIcon width={28} height={28} />} title="No conversations match" testId="inbox-no-matches">
      <p>Try another status tab, or clear the search.</p>
    </EmptyState>
  );

  return (
    <div className="inbox-page">
      {header}
      <div className={conversationId ? 'inbox inbox-with-thread' : 'inbox'} data-testid="inbox">
        <ConversationList
          base={base}
          filters={filters}
          phoneNumbers={setup.phoneNumbers}
          onFiltersChange={onFiltersChange}
          conversations={list.conversations}
          loading={list.loading}
          error={list.error}
          onRetry={list.reload}
          activeId={conversationId}
          hasNextPage={list.hasNextPage}
          loadingMore={list.loadingMore}
          moreError={list.moreError}
          onLoadMore={() => void list.loadMore()}
          empty={empty}
        />
        {open ? (
          <>
            <ConversationThread
              key={open.id}
              organizationId={organization.id}
              conversation={open}
              messages={thread.messages}
              hasOlder={thread.hasOlder}
              loadingOlder={thread.loadingOlder}
              olderError={thread.olderError}
              onLoadOlder={() => void thread.loadOlder()}
              cannedResponses={setup.cannedResponses}
              onMessage={thread.addMessage}
              onToggleDetails={() => setDetailsOpen((v) => !v)}
              handling={thread.handling}
              agents={setup.agents}
              onHandling={(c) => {
                setHandling(c);
                setConversation(c);
                apply(c);
              }}
            />
            <ContactPanel
              key={`contact-${open.id}`}
              organizationId={organization.id}
              conversation={open}
              notes={thread.notes}
              members={setup.members}
              viewerId={viewerId}
              onConversation={(c) => {
                setConversation(c);
                apply(c);
              }}
              onNote={thread.addNote}
              open={detailsOpen}
              onClose={() => setDetailsOpen(false)}
            />
          </>
        ) : (
          <ThreadPlaceholder loading={thread.loading} error={thread.error} onRetry={thread.reload} />
        )}
      </div>
      <CannedResponsesDialog
        open={cannedOpen}
        organizationId={organization.id}
        responses={setup.cannedResponses}
        canManage={isAdminOrOwner(organization.viewerRole)}
        onClose={() => setCannedOpen(false)}
        onChanged={setup.refresh}
      />
    </div>
  );
}
