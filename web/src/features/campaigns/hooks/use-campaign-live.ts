import { useCallback, useEffect, useState } from 'react';
import { useClient, useQuery } from 'urql';

import {
  CampaignDocument,
  CampaignEventsDocument,
  CampaignTimelineDocument,
} from '@/features/campaigns/api/campaigns';
import { useThrottled } from '@/features/campaigns/hooks/use-throttled';
import type { CampaignPartsFragment } from '@/gql/graphql';

/** How often the timeline may be read again while events pour in. */
const TIMELINE_EVERY_MS = 2_000;

/**
 * Whether `next` may replace `current`: a snapshot read before a pause or resume committed
 * can arrive after the mutation's answer; its older `updatedAt` gives it away.
 */
export function isCurrent(next: CampaignPartsFragment, current: CampaignPartsFragment | null | undefined): boolean {
  return !current || Date.parse(next.updatedAt) >= Date.parse(current.updatedAt);
}

/**
 * A campaign as it is now: read once, then replaced by every `campaignEvents` event (each
 * carries the whole campaign with its stats) and by the answers of its mutations, unless
 * it is older than what is shown. The timeline is read again when an event arrives, at
 * most every two seconds.
 */
export function useCampaignLive(organizationId: string, campaignId: string) {
  const client = useClient();
  const [result, reexecute] = useQuery({
    query: CampaignDocument,
    variables: { id: organizationId, campaignId },
    requestPolicy: 'network-only',
  });
  const [timeline, reexecuteTimeline] = useQuery({
    query: CampaignTimelineDocument,
    variables: { id: organizationId, campaignId },
    requestPolicy: 'network-only',
  });
  const [latest, setLatest] = useState<{ campaignId: string; campaign: CampaignPartsFragment } | null>(null);
  const [events, setEvents] = useState(0);
  const refetchTimeline = useThrottled(() => reexecuteTimeline({ requestPolicy: 'network-only' }), TIMELINE_EVERY_MS);

  useEffect(() => {
    const subscription = client
      .subscription(CampaignEventsDocument, { organizationId, campaignId })
      .subscribe((event) => {
        const campaign = event.data?.campaignEvents;
        if (!campaign) return;
        setLatest((shown) =>
          shown?.campaignId === campaignId && !isCurrent(campaign, shown.campaign) ? shown : { campaignId, campaign },
        );
        setEvents((n) => n + 1);
        refetchTimeline();
      });
    return () => subscription.unsubscribe();
  }, [client, organizationId, campaignId, refetchTimeline]);

  const queried = result.data?.organization.campaign;
  const live =
    latest?.campaignId === campaignId && (!queried || isCurrent(latest.campaign, queried)) ? latest.campaign : null;
  const campaign = queried && queried.id === campaignId ? { ...queried, ...(live ?? {}) } : null;

  const replace = useCallback(
    (campaign: CampaignPartsFragment) => {
      setLatest((shown) =>
        shown?.campaignId === campaignId && !isCurrent(campaign, shown.campaign) ? shown : { campaignId, campaign },
      );
      refetchTimeline();
    },
    [campaignId, refetchTimeline],
  );
  const reload = useCallback(() => {
    setLatest(null);
    reexecute({ requestPolicy: 'network-only' });
    reexecuteTimeline({ requestPolicy: 'network-only' });
  }, [reexecute, reexecuteTimeline]);

  return {
    campaign,
    error: result.error,
    timeline: timeline.data?.organization.campaign.timeline ?? null,
    timelineError: timeline.error,
    /** Events received so far, for lists that follow them. */
    events,
    replace,
    reload,
  };
}
