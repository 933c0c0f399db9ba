import { useCallback } from 'react';
import { useQuery } from 'urql';

import { Notice } from '@/components/ui/feedback';
import { PageHeader } from '@/components/ui/layout';
import { WhatsAppNumbersDocument } from '@/features/whatsapp/api/whatsapp';
import { BusinessProfileCard } from '@/features/whatsapp/components/business-profile-card';
import { ConnectCard } from '@/features/whatsapp/components/connect-card';
import { PhoneNumbersCard } from '@/features/whatsapp/components/phone-numbers-card';
import { TemplatesCard } from '@/features/whatsapp/components/templates-card';
import { useCurrentOrganization } from '@/lib/organization-context';
import { isAdminOrOwner } from '@/lib/roles';

/** `/orgs/:orgId/whatsapp`: everyone sees the numbers; Admins and Owners connect and change them. */
export function WhatsAppPage() {
  const { organization } = useCurrentOrganization();
  const canManage = isAdminOrOwner(organization.viewerRole);
  const [result, reexecute] = useQuery({ query: WhatsAppNumbersDocument, variables: { id: organization.id } });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const numbers = result.data?.organization.phoneNumbers ?? null;
  // Templates and the profile are read from Meta, which only answers for connected numbers.
  const connected = numbers?.filter((n) => !n.disconnectedAt) ?? [];

  return (
    <div className="page">
      <PageHeader
        title="WhatsApp"
        description="The WhatsApp Business numbers this organization sends and receives on, their templates and profile."
      />
      <PhoneNumbersCard
        organizationId={organization.id}
        numbers={numbers}
        error={result.error ?? null}
        onRetry={refresh}
        canManage={canManage}
        onChanged={refresh}
      />
      {canManage ? (
        <ConnectCard organizationId={organization.id} onConnected={refresh} />
      ) : (
        <Notice testId="connect-admin-only">
          Admins and Owners connect and disconnect numbers, and manage templates and the business profile.
        </Notice>
      )}
      {connected.length > 0 ? (
        <>
          <TemplatesCard organizationId={organization.id} numbers={connected} canManage={canManage} />
          <BusinessProfileCard organizationId={organization.id} numbers={connected} canManage={canManage} />
        </>
      ) : null}
    </div>
  );
}
