import type { ReactNode } from 'react';

import { ForbiddenPanel } from '@/components/ui/feedback';
import { useCurrentOrganization } from '@/lib/organization-context';
import { isAdminOrOwner } from '@/lib/roles';

/** Admin-only pages: a Member sees the forbidden panel without a round trip. */
export function RequireAdmin({ children }: { children: ReactNode }) {
  const { organization } = useCurrentOrganization();
  if (isAdminOrOwner(organization.viewerRole)) return children;
  return (
    <div className="page">
      <ForbiddenPanel />
    </div>
  );
}
