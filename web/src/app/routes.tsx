import { Route, Routes } from 'react-router';

import { NotFoundPage } from '@/app/not-found-page';
import { OrganizationLayout } from '@/app/organization-layout';
import { RequireAdmin } from '@/app/require-admin';
import { AppShell } from '@/components/layout/app-shell';
import { ApiTokensPage } from '@/features/api-tokens/components/api-tokens-page';
import { AuditLogPage } from '@/features/audit-log/components/audit-log-page';
import { CampaignBuilderPage } from '@/features/campaigns/components/campaign-builder-page';
import { CampaignPage } from '@/features/campaigns/components/campaign-page';
import { CampaignsPage } from '@/features/campaigns/components/campaigns-page';
import { AuthCallbackPage } from '@/features/auth/components/auth-callback-page';
import { RequireAuth } from '@/features/auth/components/require-auth';
import { ContactFieldsPage } from '@/features/contacts/components/contact-fields-page';
import { ContactImportPage } from '@/features/contacts/components/contact-import-page';
import { ContactPage } from '@/features/contacts/components/contact-page';
import { ContactsPage } from '@/features/contacts/components/contacts-page';
import { CustomerPhonePanel } from '@/features/customer-phone/components/customer-phone-panel';
import { CustomerPhoneToggle } from '@/features/customer-phone/components/customer-phone-toggle';
import { CustomerPhoneProvider } from '@/features/customer-phone/hooks/customer-phone-context';
import { SignedOutPage } from '@/features/auth/components/signed-out-page';
import { InboxPage } from '@/features/inbox/components/inbox-page';
import { AgentPage } from '@/features/agents/components/agent-page';
import { AgentsPage } from '@/features/agents/components/agents-page';
import { KnowledgePage } from '@/features/knowledge/components/knowledge-page';
import { AcceptInvitationPage } from '@/features/invitations/components/accept-invitation-page';
import { MembersPage } from '@/features/members/components/members-page';
import { CreateOrganizationPage } from '@/features/organizations/components/create-organization-page';
import { HomePage } from '@/features/organizations/components/home-page';
import { OrganizationOverviewPage } from '@/features/organizations/components/organization-overview-page';
import { OrganizationSettingsPage } from '@/features/organizations/components/organization-settings-page';
import { ProfilePage } from '@/features/profile/components/profile-page';
import { SegmentBuilderPage } from '@/features/segments/components/segment-builder-page';
import { SegmentsPage } from '@/features/segments/components/segments-page';
import { WhatsAppPage } from '@/features/whatsapp/components/whatsapp-page';

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
              <AppShell version={version} topBarExtra={<CustomerPhoneToggle />} aside={<CustomerPhonePanel />} />
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
