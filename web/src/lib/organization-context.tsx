import { createContext, useContext, useEffect, useRef } from 'react';

import type { OrganizationEventKind, Role } from '@/gql/graphql';

export interface OrganizationEvent {
  organizationId: string;
  kind: OrganizationEventKind;
  at: string;
}

type Listener = (event: OrganizationEvent) => void;

/** Fans one `organizationEvents` subscription out to every list on the page. */
export class OrganizationEventHub {
  private readonly listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  publish(event: OrganizationEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

export interface CurrentOrganization {
  id: string;
  name: string;
  createdAt: string;
  /** IANA zone that campaign schedules are read in. */
  timeZone: string;
  viewerRole: Role;
}

export interface OrganizationContextValue {
  organization: CurrentOrganization;
  /** Re-reads the organization (name, time zone, the viewer's role) from the server. */
  refresh: () => void;
  events: OrganizationEventHub;
}

export const OrganizationContext = createContext<OrganizationContextValue | null>(null);

/** The organization of the current `/orgs/:orgId` page. */
export function useCurrentOrganization(): OrganizationContextValue {
  const value = useContext(OrganizationContext);
  if (!value) throw new Error('useCurrentOrganization must be used on an /orgs/:orgId page');
  return value;
}

/** Calls `onEvent` whenever the server reports one of `kinds` for the current organization. */
export function useOrganizationEvents(kinds: readonly OrganizationEventKind[], onEvent: () => void): void {
  const { events } = useCurrentOrganization();
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });
  const key = [...kinds].sort().join(',');
  useEffect(() => {
    const wanted = new Set(key.split(','));
    return events.subscribe((event) => {
      if (wanted.has(event.kind)) handler.current();
    });
  }, [events, key]);
}
