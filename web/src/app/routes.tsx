import { type ComponentType, lazy } from 'react';
import { Route, Routes } from 'react-router';

import { NotFoundPage } from '@/app/not-found-page';
import { OrganizationLayout } from '@/app/organization-layout';
import { RequireAdmin } from '@/app/require-admin';
import { AppShell } from '@/components/layout/app-shell';
import { AuthCallbackPage } from '@/features/auth/components/auth-callback-page';
import { RequireAuth } from '@/features/auth/components/require-auth';
import { CustomerPhonePanel } from '@/features/customer-phone/components/customer-phone-panel';
import { CustomerPhoneToggle } from '@/features/customer-phone/components/customer-phone-toggle';
import { CustomerPhoneProvider } from '@/features/customer-phone/hooks/customer-phone-context';
import { NotificationBell } from '@/features/notifications/components/notification-bell';
import { SignedOutPage } from '@/features/auth/components/signed-out-page';

/**
 * A page loaded with its first visit: the shell, sign-in and the organization's layout come
 * with the app, each feature's pages in a chunk of their own (`AppShell` shows a loading
 * state meanwhile).
 */
function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(() => load().then((m) => ({ default: m[name] })));
}

const ApiTokensPage = page(() => import('@/features/api-tokens/components/api-tokens-page'), 'ApiTokensPage');
const AuditLogPage = page(() => import('@/features/audit-log/components/audit-log-page'), 'AuditLogPage');
const CampaignBuilderPage = page(() => import('@/features/campaigns/components/campaign-builder-page'), 'CampaignBuilderPage');
const CampaignPage = page(() => import('@/features/campaigns/components/campaign-page'), 'CampaignPage');
const CampaignsPage = page(() => import('@/features/campaigns/components/campaigns-page'), 'CampaignsPage');
const ContactFieldsPage = page(() => import('@/features/contacts/components/contact-fields-page'), 'ContactFieldsPage');
const ContactImportPage = page(() => import('@/features/contacts/components/contact-import-page'), 'ContactImportPage');
const ContactPage = page(() => import('@/features/contacts/components/contact-page'), 'ContactPage');
const ContactsPage = page(() => import('@/features/contacts/components/contacts-page'), 'ContactsPage');
const InboxPage = page(() => import('@/features/inbox/components/inbox-page'), 'InboxPage');
const AgentPage = page(() => import('@/features/agents/components/agent-page'), 'AgentPage');
const AgentsPage = page(() => import('@/features/agents/components/agents-page'), 'AgentsPage');
const KnowledgePage = page(() => import('@/features/knowledge/components/knowledge-page'), 'KnowledgePage');
const AcceptInvitationPage = page(() => import('@/features/invitations/components/accept-invitation-page'), 'AcceptInvitationPage');
const MembersPage = page(() => import('@/features/members/components/members-page'), 'MembersPage');
const CreateOrganizationPage = page(() => import('@/features/organizations/components/create-organization-page'), 'CreateOrganizationPage');
const HomePage = page(() => import('@/features/organizations/components/home-page'), 'HomePage');
const OrganizationOverviewPage = page(() => import('@/features/organizations/components/organization-overview-page'), 'OrganizationOverviewPage');
const OrganizationSettingsPage = page(() => import('@/features/organizations/components/organization-settings-page'), 'OrganizationSettingsPage');
const ProfilePage = page(() => import('@/features/profile/components/profile-page'), 'ProfilePage');
const SegmentBuilderPage = page(() => import('@/features/segments/components/segment-builder-page'), 'SegmentBuilderPage');
const SegmentsPage = page(() => import('@/features/segments/components/segments-page'), 'SegmentsPage');
const WhatsAppPage = page(() => import('@/features/whatsapp/components/whatsapp-page'), 'WhatsAppPage');

/** Every route of the SPA; see TESTIDS.md for what browser tests can rely on. */
export function AppRoutes({ version }: { version: string }) {
  return (
    <Routes>
      <Route path="/auth/callback" element={<AuthCallbackPage />} />
      <Route path="/signed-out" element={<SignedOutPage />} />
      <Route
        element={
          <RequireAuth>
            <CustomerPhoneProvider>
              <AppShell version={version} topBarExtra={
                  <>
                    <NotificationBell />
                    <CustomerPhoneToggle />
                  </>
                } aside={<CustomerPhonePanel />} />
            </CustomerPhoneProvider>
          </RequireAuth>
        }
      >
        <Route index element={<HomePage />} />
        <Route path="orgs/new" element={<CreateOrganizationPage />} />
        <Route path="orgs/:orgId" element={<OrganizationLayout />}>
          <Route index element={<OrganizationOverviewPage />} />
          <Route path="inbox/:conversationId?" element={<InboxPage />} />
          <Route path="contacts" element={<ContactsPage />} />
          <Route
            path="contacts/import/:importId?"
            element={
              <RequireAdmin>
                <ContactImportPage />
              </RequireAdmin>
            }
          />
          <Route
            path="contacts/fields"
            element={
              <RequireAdmin>
                <ContactFieldsPage />
              </RequireAdmin>
            }
          />
          <Route path="contacts/:contactId" element={<ContactPage />} />
          <Route path="segments" element={<SegmentsPage />} />
          <Route
            path="segments/new"
            element={
              <RequireAdmin>
                <SegmentBuilderPage />
              </RequireAdmin>
            }
          />
          <Route
            path="segments/:segmentId"
            element={
              <RequireAdmin>
                <SegmentBuilderPage />
              </RequireAdmin>
            }
          />
          <Route path="campaigns" element={<CampaignsPage />} />
          <Route
            path="campaigns/new"
            element={
              <RequireAdmin>
                <CampaignBuilderPage />
              </RequireAdmin>
            }
          />
          <Route
            path="campaigns/:campaignId/edit"
            element={
              <RequireAdmin>
                <CampaignBuilderPage />
              </RequireAdmin>
            }
          />
          <Route path="campaigns/:campaignId" element={<CampaignPage />} />
          <Route path="knowledge" element={<KnowledgePage />} />
          <Route path="agents" element={<AgentsPage />} />
          <Route
            path="agents/new"
            element={
              <RequireAdmin>
                <AgentPage />
              </RequireAdmin>
            }
          />
          <Route path="agents/:agentId" element={<AgentPage />} />
          <Route path="whatsapp" element={<WhatsAppPage />} />
          <Route path="members" element={<MembersPage />} />
          <Route
            path="api-tokens"
            element={
              <RequireAdmin>
                <ApiTokensPage />
              </RequireAdmin>
            }
          />
          <Route
            path="audit-log"
            element={
              <RequireAdmin>
                <AuditLogPage />
              </RequireAdmin>
            }
          />
          <Route
            path="settings"
            element={
              <RequireAdmin>
                <OrganizationSettingsPage />
              </RequireAdmin>
            }
          />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
        <Route path="invitations/accept" element={<AcceptInvitationPage />} />
        <Route path="profile" element={<ProfilePage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
