import { Fragment, useCallback, useEffect, useMemo, useState } from 'react';
import { Outlet, useParams } from 'react-router';
import { useClient, useQuery } from 'urql';

import { ButtonLink } from '@/components/ui/button';
import { ErrorPanel, LoadingState } from '@/components/ui/feedback';
import { graphql } from '@/gql';
import {
  OrganizationContext,
  OrganizationEventHub,
  type OrganizationContextValue,
} from '@/lib/organization-context';
import { useRefreshViewer } from '@/lib/viewer';

const OrganizationSummaryDocument = graphql(`
  query OrganizationSummary($id: ID!) {
    organization(id: $id) {
      id
      name
      createdAt
      timeZone
      viewerRole
    }
  }
`);

const OrganizationEventsDocument = graphql(`
  subscription OrganizationEvents($organizationId: ID!) {
    organizationEvents(organizationId: $organizationId) {
      organizationId
      kind
      at
    }
  }
`);

/**
 * `/orgs/:orgId/*`: loads the organization once for every page under it and keeps one live
 * subscription to its events, which pages listen to through `useOrganizationEvents`.
 */
export function OrganizationLayout() {
  const { orgId = '' } = useParams();
  const client = useClient();
  const refreshViewer = useRefreshViewer();
  const [hub] = useState(() => new OrganizationEventHub());
  const [result, reexecute] = useQuery({ query: OrganizationSummaryDocument, variables: { id: orgId } });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const organization = result.data?.organization ?? null;
  const loaded = organization?.id === orgId;

  useEffect(() => {
    if (!loaded) return;
    const subscription = client
      .subscription(OrganizationEventsDocument, { organizationId: orgId })
      .subscribe((event) => {
        const data = event.data?.organizationEvents;
        if (!data) return;
        // Renames and membership changes also change the switcher and the viewer's own role.
        if (data.kind === 'RENAMED' || data.kind === 'MEMBERS_CHANGED') {
          refresh();
          void refreshViewer();
        }
        hub.publish(data);
      });
    return () => subscription.unsubscribe();
  }, [client, hub, loaded, orgId, refresh, refreshViewer]);

  const value = useMemo<OrganizationContextValue | null>(
    () => (organization ? { organization, refresh, events: hub } : null),
    [organization, refresh, hub],
  );

  if (result.error && !loaded) {
    return (
      <div className="page">
        <ErrorPanel error={result.error} onRetry={refresh} />
        <p className="center">
          <ButtonLink to="/" data-testid="back-to-dashboard">
            Back to dashboard
          </ButtonLink>
        </p>
      </div>
    );
  }
  if (!value || !loaded) return <LoadingState />;

  return (
    <OrganizationContext.Provider value={value}>
      <Fragment key={orgId}>
        <Outlet />
      </Fragment>
    </OrganizationContext.Provider>
  );
}
